import BackendStorage
import Foundation
import Glibc
import SessionSDK

/// Where a data-link's data lives on this machine:
///
/// - `s3://BUCKET/PREFIX` and `efs://FILESYSTEM/PREFIX` → `BUCKETS/BUCKET/PREFIX`, where
///   `BUCKETS` is the configured bucket directory that emulates object stores; the
///   bucket's directory must exist, the prefix is created when missing (object stores
///   have no directories, so an empty prefix is valid).
/// - `file:///PATH` → `/PATH`, which must be an existing directory under one of the
///   allowed roots (none by default).
///
/// Symbolic links are resolved, and an S3 or EFS link that resolves outside its bucket
/// is refused, so a link can never expose more than its own directory.
struct DataLinkSources: Sendable {
    /// The bucket directory.
    var bucketsDirectory: String
    /// The directories `file://` links may point under.
    var fileRoots: [String] = []

    /// The bind mounts for a session's data-links.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a mount path outside `/workspace/data` or two
    ///   links on one path, `NOT_FOUND` for a missing bucket or directory,
    ///   `PERMISSION_DENIED` for a link that escapes its bucket.
    func bindMounts(for links: [DataLinkMount]) throws(SessionError) -> [BindMount] {
        var targets: Set<String> = []
        var mounts: [BindMount] = []
        for link in links {
            let target = try validatedTarget(link)
            guard targets.insert(target).inserted else {
                throw SessionError(.invalidArgument, "two data-links mount at \(target); mount only one")
            }
            mounts.append(BindMount(source: try source(for: link.dataLink), target: target, readOnly: link.readOnly))
        }
        return mounts
    }

    private func validatedTarget(_ link: DataLinkMount) throws(SessionError) -> String {
        let prefix = DataLinkRules.mountRoot + "/"
        let name = link.mountPath.hasPrefix(prefix) ? String(link.mountPath.dropFirst(prefix.count)) : ""
        let safe = !name.isEmpty && name.utf8.count <= DataLinkRules.maxNameLength && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): true
            default: false
            }
        }
        guard safe else {
            throw SessionError(
                .invalidArgument,
                "data-link '\(link.dataLink.id)' has mount path '\(link.mountPath.prefix(200))'; it must be \(prefix)<name> with a normalized name")
        }
        return link.mountPath
    }

    private func source(for link: DataLink) throws(SessionError) -> String {
        let location = link.location
        switch location.scheme {
        case .file:
            let path = "/" + location.prefix
            guard isDirectory(path) else {
                throw SessionError(.notFound, "data-link '\(link.id)': directory \(path) does not exist on this machine")
            }
            let real = try resolved(path, link: link)
            try FileLinkRoots(fileRoots).check(real, link: link)
            return real
        case .s3, .efs:
            guard !location.bucket.isEmpty, !location.bucket.contains("/"), location.bucket != ".", location.bucket != ".." else {
                throw SessionError(.invalidArgument, "data-link '\(link.id)' has an invalid bucket '\(location.bucket.prefix(200))'")
            }
            let bucket = "\(bucketsDirectory)/\(location.bucket)"
            guard isDirectory(bucket) else {
                throw SessionError(
                    .notFound,
                    "data-link '\(link.id)': bucket '\(location.bucket)' does not exist (the Local backend keeps buckets as directories under \(bucketsDirectory))")
            }
            let path = location.prefix.isEmpty ? bucket : "\(bucket)/\(location.prefix)"
            let bucketRoot = try resolved(bucket, link: link)
            if !isDirectory(path) {
                do {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                } catch {
                    throw SessionError(.internalError, "data-link '\(link.id)': cannot create \(path)", cause: error)
                }
            }
            let real = try resolved(path, link: link)
            guard real == bucketRoot || real.hasPrefix(bucketRoot + "/") else {
                throw SessionError(
                    .permissionDenied,
                    "data-link '\(link.id)': \(location) leads outside its bucket through a symbolic link; it cannot be mounted")
            }
            return real
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private func resolved(_ path: String, link: DataLink) throws(SessionError) -> String {
        guard let real = realpath(path, nil) else {
            throw SessionError(.notFound, "data-link '\(link.id)': cannot resolve \(path): \(String(cString: strerror(errno)))")
        }
        defer { free(real) }
        return String(cString: real)
    }
}
