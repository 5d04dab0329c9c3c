/// The rules for data-links: how names become directories, which locations are
/// valid, where links mount and whether they are writable.
///
/// **Names.** A data-link's directory is its name normalized: ASCII letters are
/// lower-cased, every run of other characters (spaces, `_`, `.`, `/`, non-ASCII) becomes
/// one `-`, and leading and trailing `-` are dropped. At most 63 characters remain; a
/// longer result keeps its first 54 and appends `-` and 8 hex digits of a hash of the
/// whole, so distinct long names stay distinct. A name that normalizes to nothing is
/// refused. Without a name, one is derived from the bucket and path: the seed's
/// `s3://biopharmaX/experiments/project-A/experiment-1/data` gives
/// `biopharmax-experiments-project-a-experiment-1-data`; the seed's own rendering,
/// `biopharmaxs-project-a-experiment-1-data`, is what the name
/// `biopharmaXs project-A experiment-1 data` normalizes to.
///
/// **Collisions.** Two links whose names normalize alike cannot be mounted in one
/// session, and a workspace cannot hold two links with the same normalized name: both
/// are refused, never renamed behind the user's back.
///
/// **Locations.** `s3://BUCKET[/PREFIX]`, `efs://FILESYSTEM-ID[/PREFIX]` or
/// `file:///ABSOLUTE/PATH`. The prefix may not contain `..` or `.` segments, empty
/// segments, control characters, backslashes or `%` (so no encoded separators), and is
/// at most 1024 bytes.
///
/// **Access.** A link is read-only unless its bucket (for `file`, a directory that
/// contains it) is on the compute environment's writable list; only the link's own
/// subdirectory is mounted, which confines writes to it.
public enum DataLinkRules {
    /// Where links appear inside a session.
    public static let mountRoot = "/workspace/data"
    /// The longest normalized name.
    public static let maxNameLength = 63
    /// The longest prefix, in bytes.
    public static let maxPrefixLength = 1024

    /// Normalizes a name as described above.
    ///
    /// - Throws: `INVALID_ARGUMENT` when nothing usable remains.
    public static func normalizeName(_ raw: String) throws(SessionError) -> String {
        var output: [UInt8] = []
        var pendingSeparator = false
        for byte in raw.utf8 {
            let lowered: UInt8? = switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            default: nil
            }
            guard let lowered else {
                pendingSeparator = true
                continue
            }
            if pendingSeparator && !output.isEmpty { output.append(UInt8(ascii: "-")) }
            pendingSeparator = false
            output.append(lowered)
        }
        guard !output.isEmpty else {
            throw SessionError(.invalidArgument, "data-link name '\(printable(raw))' has no letters or digits")
        }
        if output.count > maxNameLength {
            let hash = String(fnv1a(output), radix: 16)
            let digest = String(repeating: "0", count: 8 - hash.count) + hash
            var head = Array(output.prefix(maxNameLength - 9))
            if head.last == UInt8(ascii: "-") { head.removeLast() }
            output = head + Array("-\(digest)".utf8)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The name a link gets when its creator gives none: bucket and path.
    public static func defaultName(for location: DataLinkLocation) -> String {
        let parts = [location.bucket] + location.prefix.split(separator: "/").map(String.init)
        return (try? normalizeName(parts.joined(separator: "-"))) ?? location.scheme.rawValue
    }

    /// The directory a link with this normalized name mounts at.
    public static func mountPath(forName name: String) -> String {
        "\(mountRoot)/\(name)"
    }

    /// Parses and validates a location such as `s3://bucket/sub/dir`.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming what is wrong.
    public static func parseLocation(_ text: String) throws(SessionError) -> DataLinkLocation {
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw invalid(text, "is not of the form s3://bucket/path, efs://filesystem/path or file:///path")
        }
        guard let scheme = DataLinkLocation.Scheme(rawValue: parts[0].lowercased()) else {
            throw invalid(text, "has an unsupported scheme; use s3, efs or file")
        }
        let rest = parts[1]
        let bucket: String
        let path: Substring
        if scheme == .file {
            guard rest.hasPrefix("/") else { throw invalid(text, "must name an absolute path: file:///path") }
            bucket = ""
            path = rest.dropFirst()
        } else {
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            bucket = String(rest[..<slash])
            path = slash == rest.endIndex ? "" : rest[rest.index(after: slash)...]
            try validateBucket(bucket, in: text)
        }
        let prefix = String(path.hasSuffix("/") && path != "/" ? path.dropLast() : path)
        try validatePrefix(prefix, in: text)
        if scheme == .file && prefix.isEmpty { throw invalid(text, "cannot mount the root directory") }
        return DataLinkLocation(scheme: scheme, bucket: bucket, prefix: prefix)
    }

    /// Whether sessions in `environment` may write through a link to `location`.
    public static func isWritable(_ location: DataLinkLocation, in environment: ComputeEnvironment) -> Bool {
        switch location.scheme {
        case .s3, .efs:
            return environment.allowsWrites(to: location.bucket)
        case .file:
            let path = "/" + location.prefix
            return environment.writableBuckets.contains { root in
                let root = root.hasSuffix("/") ? String(root.dropLast()) : root
                return root.hasPrefix("/") && (path == root || path.hasPrefix(root + "/"))
            }
        }
    }

    /// Refuses links to buckets the compute environment does not list: an S3 bucket or
    /// EFS file system must be among its `readableBuckets` or `writableBuckets`.
    /// (`file://` links are limited by each backend's `fileLinkRoots`.)
    ///
    /// - Throws: `PERMISSION_DENIED` naming the link, the bucket and where operators
    ///   list buckets.
    public static func requireListedBuckets(_ links: [DataLink], in environment: ComputeEnvironment) throws(SessionError) {
        for link in links where link.location.scheme != .file && !environment.allowsReads(from: link.location.bucket) {
            throw SessionError(
                .permissionDenied,
                "data-link '\(printable(link.id))' names bucket '\(printable(link.location.bucket))', which compute environment "
                    + "'\(environment.id)' does not let sessions mount; an operator lists buckets in the environment's "
                    + "readableBuckets or writableBuckets")
        }
    }

    /// The mounts for a session's links, with paths and access decided.
    ///
    /// - Throws: `INVALID_ARGUMENT` when two links would mount at the same path.
    public static func mounts(for links: [DataLink], in environment: ComputeEnvironment) throws(SessionError) -> [DataLinkMount] {
        var seen: [String: DataLink] = [:]
        var mounts: [DataLinkMount] = []
        for link in links {
            let name = try normalizeName(link.name)
            if let other = seen[name] {
                throw SessionError(
                    .invalidArgument,
                    "data-links '\(other.id)' and '\(link.id)' would both mount at \(mountPath(forName: name)); mount only one")
            }
            seen[name] = link
            mounts.append(DataLinkMount(
                dataLink: link, mountPath: mountPath(forName: name),
                readOnly: !isWritable(link.location, in: environment)))
        }
        return mounts
    }

    // MARK: Validation

    private static func validateBucket(_ bucket: String, in text: String) throws(SessionError) {
        guard !bucket.isEmpty, bucket.utf8.count <= 255 else {
            throw invalid(text, "needs a bucket or file system name of 1 to 255 characters")
        }
        let allowed = bucket.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"): true
            default: false
            }
        }
        guard allowed, bucket != ".", bucket != ".." else {
            throw invalid(text, "has a bucket name with characters other than letters, digits, '-', '.' and '_'")
        }
    }

    private static func validatePrefix(_ prefix: String, in text: String) throws(SessionError) {
        guard prefix.utf8.count <= maxPrefixLength else {
            throw invalid(text, "has a path longer than \(maxPrefixLength) bytes")
        }
        guard !prefix.hasPrefix("/") else { throw invalid(text, "has an empty path segment ('//')") }
        for scalar in prefix.unicodeScalars {
            if isControl(scalar) { throw invalid(text, "contains a control character") }
            if scalar == "\\" { throw invalid(text, "contains a backslash") }
            if scalar == "%" { throw invalid(text, "contains '%'; encoded characters are not accepted") }
        }
        guard !prefix.isEmpty else { return }
        for segment in prefix.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { throw invalid(text, "has an empty path segment ('//')") }
            if segment == ".." || segment == "." { throw invalid(text, "contains a '\(segment)' path segment") }
        }
    }

    private static func invalid(_ text: String, _ problem: String) -> SessionError {
        SessionError(.invalidArgument, "data-link location '\(printable(text))' \(problem)")
    }

    /// The text with control characters escaped, safe to put in a message.
    public static func printable(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars.prefix(200) {
            output += isControl(scalar) ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return output
    }

    /// C0 controls, DEL and C1 controls (U+0080–U+009F, which include NEL).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// 32-bit FNV-1a: a small, stable hash for name suffixes.
    private static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
    }
}
