import Foundation
package import SessionSDK

/// Where a session's home directory is, for the backends that keep homes in
/// directories (Local, Slurm): a new session gets its own directory, and an existing
/// home volume `NAME` is the directory `VOLUMES/NAME`, which the session does not own
/// (deleting the session keeps it).
package struct HomeVolumes: Sendable {
    /// The directory of existing home volumes.
    package let directory: String
    /// The backend's name, for messages (`Local`, `Slurm`).
    package let backend: String

    /// Home volumes in `directory`, for `backend`.
    package init(directory: String, backend: String) {
        self.directory = directory
        self.backend = backend
    }

    /// The home a request asks for, and whether the session owns it: `newHome` for a
    /// new volume, the existing volume's directory otherwise.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an unusable volume name or a clone into an
    ///   existing volume, `NOT_FOUND` when the volume's directory does not exist.
    package func home(for request: ProviderSessionRequest, newHome: String) throws(SessionError) -> (path: String, owned: Bool) {
        switch request.homeVolume {
        case .new:
            return (newHome, true)
        case .existing(let name):
            try StorageIdentifier.validate(name, what: "home volume name", backend: backend)
            guard request.restoreFrom == nil else {
                throw SessionError(.invalidArgument, "a clone starts from a checkpoint in a new home volume, not the existing volume '\(name)'")
            }
            let path = "\(directory)/\(name)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw SessionError(.notFound, "home volume '\(name)' does not exist; the \(backend) backend expects the directory \(path)")
            }
            return (path, false)
        }
    }
}
