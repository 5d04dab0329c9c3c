import Foundation
import Glibc
package import Logging
package import SessionSDK

/// Checkpoints as `tar.gz` archives of session homes, for the backends that keep homes
/// in directories the gateway host reaches (Local, Slurm):
/// `DIRECTORY/<session-id>/<checkpoint-id>.tar.gz`.
///
/// An archive holds the home without its `data/` directory (where data-links are
/// mounted). It is written under a hidden partial name and renamed into place, so an
/// archive that exists is whole; taking a checkpoint whose archive exists returns it as
/// it is. Nothing outside `DIRECTORY` is ever read as an archive or removed.
package struct CheckpointArchives: Sendable {
    /// Runs `tar` on the gateway host with the given arguments.
    package typealias Tar = @Sendable (_ arguments: [String]) async throws(SessionError) -> ExecutionResult

    /// The directory of all archives.
    package let directory: String
    /// The backend's name, for messages (`Local`, `Slurm`).
    package let backend: String
    private let logger: Logger
    private let tar: Tar

    /// Archives in `directory` for `backend`, written and read with `tar`.
    package init(directory: String, backend: String, logger: Logger, tar: @escaping Tar) {
        self.directory = directory
        self.backend = backend
        self.logger = logger
        self.tar = tar
    }

    /// The archive of a checkpoint of a session.
    package func path(session: String, checkpoint: String) -> String {
        "\(directory)/\(session)/\(checkpoint).tar.gz"
    }

    /// Archives `home` for `checkpoint` (of session `checkpoint.session`), unless its
    /// archive exists. Files that change while they are read (a running session) are
    /// archived as they are.
    ///
    /// - Returns: the checkpoint with `location` (the archive's path) and `sizeBytes`.
    /// - Throws: `RESOURCE_EXHAUSTED` when the disk is full, `INTERNAL` when the
    ///   archive cannot be written.
    package func create(_ checkpoint: Checkpoint, home: String) async throws(SessionError) -> Checkpoint {
        let session = checkpoint.session.rawValue
        let archive = path(session: session, checkpoint: checkpoint.id.rawValue)
        var result = checkpoint
        result.location = archive
        if let size = Self.fileSize(archive) {
            result.sizeBytes = size
            return result
        }
        let folder = (archive as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SessionError(.internalError, "cannot create the checkpoint directory \(folder)", cause: error)
        }
        let partial = "\(folder)/.\(checkpoint.id.rawValue).partial-\(UInt32.random(in: .min ... .max))"
        defer { unlink(partial) }
        let run = try await tar(["--create", "--gzip", "--file", partial, "--directory", home, "--anchored", "--exclude=./data", "."])
        // 1 means files changed while being read: expected while the session runs.
        guard run.exitCode == 0 || run.exitCode == 1 else {
            let message = run.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SessionError(
                message.contains("No space left") ? .resourceExhausted : .internalError,
                "checkpoint '\(checkpoint.id)' of session '\(session)' failed: tar exited with \(run.exitCode): \(message.suffix(500))")
        }
        guard rename(partial, archive) == 0, let size = Self.fileSize(archive) else {
            throw SessionError(.internalError, "cannot move the checkpoint into place at \(archive): \(String(cString: strerror(errno)))")
        }
        result.sizeBytes = size
        logger.info("took checkpoint", metadata: ["session.id": "\(session)", "checkpoint.id": "\(checkpoint.id)", "checkpoint.bytes": "\(size)"])
        return result
    }

    /// Removes a checkpoint's archive, and its session's directory of archives when it
    /// was the last. Idempotent: a missing archive succeeds.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the location is not this checkpoint's archive.
    package func delete(_ checkpoint: Checkpoint) throws(SessionError) {
        let archive = try validatedPath(of: checkpoint)
        guard unlink(archive) == 0 || errno == ENOENT else {
            throw SessionError(.internalError, "cannot remove the checkpoint archive \(archive): \(String(cString: strerror(errno)))")
        }
        rmdir((archive as NSString).deletingLastPathComponent)  // only when it was the last one
        logger.info("deleted checkpoint", metadata: ["session.id": "\(checkpoint.session)", "checkpoint.id": "\(checkpoint.id)"])
    }

    /// The archive of a checkpoint, which must exist (for clones).
    ///
    /// - Throws: `NOT_FOUND` when it is missing, `INVALID_ARGUMENT` when the location
    ///   is not this checkpoint's archive.
    package func existing(_ checkpoint: Checkpoint) throws(SessionError) -> String {
        let archive = try validatedPath(of: checkpoint)
        guard Self.fileSize(archive) != nil else {
            throw SessionError(.notFound, "checkpoint '\(checkpoint.name)' of session '\(checkpoint.session)' has no archive at \(archive)")
        }
        return archive
    }

    /// Unpacks an archive into a new home (without any `data/` it may hold).
    ///
    /// - Throws: `FAILED_PRECONDITION` when the archive cannot be unpacked.
    package func unpack(_ archive: String, into home: String) async throws(SessionError) {
        let run = try await tar(["--extract", "--gzip", "--file", archive, "--directory", home, "--anchored", "--exclude=./data"])
        guard run.exitCode == 0 else {
            let message = run.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SessionError(
                .failedPrecondition, "the checkpoint archive \(archive) cannot be unpacked (\(message.suffix(500))); choose another checkpoint")
        }
    }

    /// The size of a regular file; nil when there is none at `path`.
    package static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Where a checkpoint's archive is, derived from its session and id; a location,
    /// when set, must be that path.
    ///
    /// - Throws: `INVALID_ARGUMENT` for ids that cannot name a file, or a location that
    ///   is not this checkpoint's archive.
    private func validatedPath(of checkpoint: Checkpoint) throws(SessionError) -> String {
        try StorageIdentifier.validate(checkpoint.session.rawValue, what: "session id", backend: backend)
        try StorageIdentifier.validate(checkpoint.id.rawValue, what: "checkpoint id", backend: backend)
        let archive = path(session: checkpoint.session.rawValue, checkpoint: checkpoint.id.rawValue)
        // Only the archive this backend made for this very checkpoint: never another
        // session's, another checkpoint's, or a file elsewhere that a location names.
        guard checkpoint.location.isEmpty || checkpoint.location == archive else {
            throw SessionError(
                .invalidArgument,
                "checkpoint location '\(DataLinkRules.printable(String(checkpoint.location.prefix(300))))' is not the archive this "
                    + "\(backend) backend made for checkpoint '\(checkpoint.id)' of session '\(checkpoint.session)'; nothing was done")
        }
        return archive
    }
}
