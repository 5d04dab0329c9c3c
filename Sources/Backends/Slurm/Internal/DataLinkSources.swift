import BackendStorage
import Foundation
import Glibc
import SessionSDK

extension SlurmProvider {
    /// The bind mounts for a session's data-links, with their directories on the
    /// cluster: `s3://BUCKET/PREFIX` and `efs://FS/PREFIX` are
    /// `bucketsDirectory/BUCKET/PREFIX` (the bucket must exist; the prefix is created),
    /// `file:///PATH` is `/PATH` (it must exist, under one of the configured
    /// ``Configuration/fileLinkRoots``; none by default). Symbolic links are resolved,
    /// and a link that leads outside its bucket or its root is refused.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a mount path outside `/workspace/data` or two
    ///   links on one path, `NOT_FOUND` for a missing bucket or directory,
    ///   `PERMISSION_DENIED` for a link escaping its bucket.
    func dataLinkMounts(for links: [DataLinkMount]) throws(SessionError) -> [BindMount] {
        var targets: Set<String> = []
        var mounts: [BindMount] = []
        for link in links {
            let prefix = DataLinkRules.mountRoot + "/"
            let name = link.mountPath.hasPrefix(prefix) ? String(link.mountPath.dropFirst(prefix.count)) : ""
            let safe = !name.isEmpty && name.utf8.count <= DataLinkRules.maxNameLength
                && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
            guard safe else {
                throw SessionError(
                    .invalidArgument,
                    "data-link '\(link.dataLink.id)' has mount path '\(link.mountPath.prefix(200))'; it must be \(prefix)<name> with a normalized name")
            }
            guard targets.insert(link.mountPath).inserted else {
                throw SessionError(.invalidArgument, "two data-links mount at \(link.mountPath); mount only one")
            }
            mounts.append(BindMount(source: try source(for: link.dataLink), target: link.mountPath, readOnly: link.readOnly))
        }
        return mounts
    }

    private func source(for link: DataLink) throws(SessionError) -> String {
        let location = link.location
        switch location.scheme {
        case .file:
            let path = "/" + location.prefix
            guard Self.isDirectory(path) else {
                throw SessionError(.notFound, "data-link '\(link.id)': directory \(path) does not exist on the cluster's filesystem")
            }
            let real = try Self.resolved(path, link: link)
            try FileLinkRoots(configuration.fileLinkRoots).check(real, link: link)
            return real
        case .s3, .efs:
            guard !location.bucket.isEmpty, !location.bucket.contains("/"), location.bucket != ".", location.bucket != ".." else {
                throw SessionError(.invalidArgument, "data-link '\(link.id)' has an invalid bucket '\(location.bucket.prefix(200))'")
            }
            let bucket = "\(configuration.bucketsDirectory)/\(location.bucket)"
            guard Self.isDirectory(bucket) else {
                throw SessionError(
                    .notFound,
                    "data-link '\(link.id)': bucket '\(location.bucket)' is not mounted on the cluster (expected \(bucket))")
            }
            let path = location.prefix.isEmpty ? bucket : "\(bucket)/\(location.prefix)"
            let root = try Self.resolved(bucket, link: link)
            if !Self.isDirectory(path) {
                do {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                } catch {
                    throw SessionError(.internalError, "data-link '\(link.id)': cannot create \(path)", cause: error)
                }
            }
            let real = try Self.resolved(path, link: link)
            guard real == root || real.hasPrefix(root + "/") else {
                throw SessionError(.permissionDenied, "data-link '\(link.id)': \(location) leads outside its bucket through a symbolic link")
            }
            return real
        }
    }

    private static func resolved(_ path: String, link: DataLink) throws(SessionError) -> String {
        guard let real = realpath(path, nil) else {
            throw SessionError(.notFound, "data-link '\(link.id)': cannot resolve \(path): \(String(cString: strerror(errno)))")
        }
        defer { free(real) }
        return String(cString: real)
    }
}
