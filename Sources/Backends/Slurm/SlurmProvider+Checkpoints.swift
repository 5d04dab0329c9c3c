import Foundation
import Glibc
import Logging
public import SessionSDK

extension SlurmProvider {
    /// Archives the session's home without `data/` (where data-links are mounted) into
    /// `SHARED/checkpoints/<session-id>/<checkpoint-id>.tar.gz`, from the gateway host,
    /// while the session runs or is paused. Idempotent on the checkpoint id.
    ///
    /// - Throws: `NOT_FOUND` when the session is gone, `INVALID_ARGUMENT` for a
    ///   checkpoint of another session or an unusable id, `RESOURCE_EXHAUSTED` when the
    ///   shared filesystem is full.
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        let id = try sessionID(in: handle)
        try SessionFiles.validateIdentifier(checkpoint.id.rawValue, what: "checkpoint id")
        guard checkpoint.session.rawValue == id else {
            throw SessionError(.invalidArgument, "checkpoint '\(checkpoint.id)' belongs to session '\(checkpoint.session)', not '\(id)'")
        }
        return try await sessionLocks.withLock(id) {
            let files = files(id)
            guard let record = try existingRecord(id, files) else {
                throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; it has nothing to checkpoint")
            }
            let archive = archivePath(session: id, checkpoint: checkpoint.id.rawValue)
            var result = checkpoint
            result.location = archive
            if let size = Self.fileSize(archive) {
                result.sizeBytes = size
                return result
            }
            let directory = (archive as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SessionError(.internalError, "cannot create the checkpoint directory \(directory)", cause: error)
            }
            let partial = "\(directory)/.\(checkpoint.id.rawValue).partial-\(UInt32.random(in: .min ... .max))"
            defer { unlink(partial) }
            let tar = try await LocalCommand.run(
                "/bin/tar", ["--create", "--gzip", "--file", partial, "--directory", record.home, "--anchored", "--exclude=./data", "."],
                environment: configuration.baseEnvironment, timeout: nil)
            // 1 means files changed while being read: expected while the session runs.
            guard tar.exitCode == 0 || tar.exitCode == 1 else {
                let message = tar.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                throw SessionError(
                    message.contains("No space left") ? .resourceExhausted : .internalError,
                    "checkpoint '\(checkpoint.id)' of session '\(id)' failed: tar exited with \(tar.exitCode): \(message.suffix(500))")
            }
            guard rename(partial, archive) == 0, let size = Self.fileSize(archive) else {
                throw SessionError(.internalError, "cannot move the checkpoint into place at \(archive): \(String(cString: strerror(errno)))")
            }
            result.sizeBytes = size
            logger.info("took checkpoint", metadata: ["session.id": "\(id)", "checkpoint.id": "\(checkpoint.id)", "checkpoint.bytes": "\(size)"])
            return result
        }
    }

    /// Removes a checkpoint's archive (and its session's checkpoint directory when it
    /// was the last). Idempotent.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the location is not an archive of this backend.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        let archive = try validatedArchivePath(of: checkpoint)
        guard unlink(archive) == 0 || errno == ENOENT else {
            throw SessionError(.internalError, "cannot remove the checkpoint archive \(archive): \(String(cString: strerror(errno)))")
        }
        rmdir((archive as NSString).deletingLastPathComponent)
        logger.info("deleted checkpoint", metadata: ["session.id": "\(checkpoint.session)", "checkpoint.id": "\(checkpoint.id)"])
    }

    // MARK: Helpers

    func archivePath(session: String, checkpoint: String) -> String {
        "\(checkpointsDirectory)/\(session)/\(checkpoint).tar.gz"
    }

    /// The archive of a checkpoint, which must exist (for clones).
    ///
    /// - Throws: `NOT_FOUND` when it is missing.
    func existingArchive(of checkpoint: Checkpoint) throws(SessionError) -> String {
        let archive = try validatedArchivePath(of: checkpoint)
        guard Self.fileSize(archive) != nil else {
            throw SessionError(.notFound, "checkpoint '\(checkpoint.name)' of session '\(checkpoint.session)' has no archive at \(archive)")
        }
        return archive
    }

    /// Unpacks an archive into a new home (without any `data/` it may hold).
    func unpack(_ archive: String, into home: String) async throws(SessionError) {
        let tar = try await LocalCommand.run(
            "/bin/tar", ["--extract", "--gzip", "--file", archive, "--directory", home, "--anchored", "--exclude=./data"],
            environment: configuration.baseEnvironment, timeout: nil)
        guard tar.exitCode == 0 else {
            throw SessionError(
                .failedPrecondition,
                "the checkpoint archive \(archive) cannot be unpacked (\(tar.errorOutput.suffix(300))); choose another checkpoint")
        }
    }

    private func validatedArchivePath(of checkpoint: Checkpoint) throws(SessionError) -> String {
        if checkpoint.location.isEmpty {
            try SessionFiles.validateIdentifier(checkpoint.session.rawValue, what: "session id")
            try SessionFiles.validateIdentifier(checkpoint.id.rawValue, what: "checkpoint id")
            return archivePath(session: checkpoint.session.rawValue, checkpoint: checkpoint.id.rawValue)
        }
        let path = URL(fileURLWithPath: checkpoint.location).standardizedFileURL.path
        let components = path.dropFirst(checkpointsDirectory.count + 1).split(separator: "/")
        guard path.hasPrefix(checkpointsDirectory + "/"), path.hasSuffix(".tar.gz"), components.count == 2,
              !components.contains(where: { $0.hasPrefix(".") })
        else {
            throw SessionError(
                .invalidArgument,
                "checkpoint location '\(checkpoint.location.prefix(300))' is not an archive of this Slurm backend (under \(checkpointsDirectory))")
        }
        return path
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
