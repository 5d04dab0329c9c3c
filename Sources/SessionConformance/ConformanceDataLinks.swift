public import SessionSDK

/// The two data-links the data-link cases mount: one writable, one read-only, as the
/// compute environment's list of writable buckets decides.
///
/// Both must exist on the backend (their bucket or directory is there); the suite
/// writes a few small files named `conformance-*` into the writable one and removes
/// them again.
///
/// ```swift
/// let environment = ComputeEnvironment(id: "ce", backend: "slurm", writableBuckets: ["team-scratch"])
/// let links = try ConformanceDataLinks(
///     writable: DataLink(id: "dl-1", workspace: .default, name: "scratch",
///                        location: try DataLinkRules.parseLocation("s3://team-scratch/conformance")),
///     readOnly: DataLink(id: "dl-2", workspace: .default, name: "reference",
///                        location: try DataLinkRules.parseLocation("s3://reference-data/genomes")),
///     in: environment, outsideEntry: "README")
/// ```
public struct ConformanceDataLinks: Hashable, Sendable {
    /// The link sessions may write through.
    public var writable: DataLinkMount
    /// The link whose writes must be refused.
    public var readOnly: DataLinkMount
    /// The name of an entry (file or directory) that exists in the writable link's
    /// store right beside the linked directory, in its parent, and so must not be
    /// reachable through the link. Nil when the link is not to a subdirectory; the
    /// confinement case then checks only what the session sees at `/workspace/data`.
    public var outsideEntry: String?

    /// Uses two mounts as given.
    ///
    /// - Throws: `INVALID_ARGUMENT` when `writable` is read-only, `readOnly` is not,
    ///   both mount at one path, or a path is not `/workspace/data/<name>`.
    public init(writable: DataLinkMount, readOnly: DataLinkMount, outsideEntry: String? = nil) throws(SessionError) {
        guard !writable.readOnly else {
            throw SessionError(.invalidArgument, "the writable conformance data-link '\(writable.dataLink.id)' is mounted read-only")
        }
        guard readOnly.readOnly else {
            throw SessionError(.invalidArgument, "the read-only conformance data-link '\(readOnly.dataLink.id)' is mounted writable")
        }
        for mount in [writable, readOnly] {
            let name = Self.name(of: mount)
            guard mount.mountPath == DataLinkRules.mountPath(forName: name), !name.isEmpty, !name.contains("/") else {
                throw SessionError(
                    .invalidArgument,
                    "conformance data-link '\(mount.dataLink.id)' mounts at '\(mount.mountPath)', not \(DataLinkRules.mountRoot)/<name>")
            }
        }
        guard writable.mountPath != readOnly.mountPath else {
            throw SessionError(.invalidArgument, "both conformance data-links mount at \(writable.mountPath)")
        }
        if let outsideEntry, outsideEntry.isEmpty || outsideEntry.contains("/") || outsideEntry == "." || outsideEntry == ".." {
            throw SessionError(.invalidArgument, "outsideEntry '\(outsideEntry)' must be a single file or directory name")
        }
        self.writable = writable
        self.readOnly = readOnly
        self.outsideEntry = outsideEntry
    }

    /// Derives the mounts with ``DataLinkRules/mounts(for:in:)``, so the environment's
    /// list of writable buckets decides their access, as the gateway would.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the environment does not make `writable`
    ///   writable and `readOnly` read-only, or their names collide.
    public init(
        writable: DataLink, readOnly: DataLink, in environment: ComputeEnvironment, outsideEntry: String? = nil
    ) throws(SessionError) {
        let mounts = try DataLinkRules.mounts(for: [writable, readOnly], in: environment)
        guard !mounts[0].readOnly else {
            throw SessionError(
                .invalidArgument,
                "compute environment '\(environment.id)' does not list '\(writable.location.bucket)' as writable; data-link '\(writable.id)' would be read-only")
        }
        guard mounts[1].readOnly else {
            throw SessionError(
                .invalidArgument,
                "compute environment '\(environment.id)' lists '\(readOnly.location.bucket)' as writable; data-link '\(readOnly.id)' would be writable")
        }
        try self.init(writable: mounts[0], readOnly: mounts[1], outsideEntry: outsideEntry)
    }

    /// Both mounts, writable first.
    var mounts: [DataLinkMount] { [writable, readOnly] }

    /// The directory name under `/workspace/data`.
    static func name(of mount: DataLinkMount) -> String {
        String(mount.mountPath.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
    }
}
