import Glibc
package import SessionSDK

/// The host directories under which a compute environment lets `file://` data-links
/// point (Local, Slurm): none unless an operator lists them.
package struct FileLinkRoots: Sendable {
    /// The roots as configured.
    package var roots: [String]

    /// Roots as configured (absolute paths).
    package init(_ roots: [String]) {
        self.roots = roots
    }

    /// Checks that `path` (already resolved, without symbolic links) is one of the
    /// roots or inside one, with the roots resolved too.
    ///
    /// - Throws: `PERMISSION_DENIED` naming the link, the path and the allowed roots.
    package func check(_ path: String, link: DataLink) throws(SessionError) {
        let resolved = roots.compactMap { root -> String? in
            guard let real = realpath(root, nil) else { return nil }
            defer { free(real) }
            return String(cString: real)
        }
        guard !resolved.contains(where: { path == $0 || path.hasPrefix($0 == "/" ? "/" : $0 + "/") }) else { return }
        throw SessionError(
            .permissionDenied,
            "data-link '\(link.id)': \(path) is not under a directory this compute environment lets sessions mount "
                + (roots.isEmpty ? "(it allows none)" : "(\(roots.joined(separator: ", ")))")
                + "; an operator lists allowed roots in the environment's fileLinkRoots setting")
    }
}
