import BackendStorage
public import SessionSDK

extension LocalProvider {
    /// Archives the session's home without its `data/` directory (where data-links
    /// are mounted) into `ROOT/checkpoints/<session-id>/<checkpoint-id>.tar.gz`, while
    /// the session runs or is paused. Idempotent on the checkpoint id: an archive that
    /// exists is returned as it is.
    ///
    /// - Returns: the checkpoint with `location` (the archive's path) and `sizeBytes`.
    /// - Throws: `NOT_FOUND` when the session is gone, `INVALID_ARGUMENT` for a
    ///   checkpoint of another session or an unusable id, `RESOURCE_EXHAUSTED` when
    ///   the disk is full.
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        let id = try sessionID(in: handle)
        try StorageLayout.validateIdentifier(checkpoint.id.rawValue, what: "checkpoint id")
        guard checkpoint.session.rawValue == id else {
            throw SessionError(
                .invalidArgument, "checkpoint '\(checkpoint.id)' belongs to session '\(checkpoint.session)', not '\(id)'")
        }
        return try await sessionLocks.withLock(id) {
            guard let record = try existingRecord(id, layout.session(id)) else {
                throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; it has nothing to checkpoint")
            }
            try await mountHome(of: record)
            return try await checkpointArchives.create(checkpoint, home: record.home)
        }
    }

    /// Removes a checkpoint's archive. Idempotent: a missing archive succeeds.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the checkpoint's location is not an archive
    ///   of this provider (nothing outside `ROOT/checkpoints` is ever removed).
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        try checkpointArchives.delete(checkpoint)
    }
}
