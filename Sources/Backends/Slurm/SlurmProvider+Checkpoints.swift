import BackendStorage
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
            guard let record = try existingRecord(id, files(id)) else {
                throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; it has nothing to checkpoint")
            }
            return try await checkpointArchives.create(checkpoint, home: record.home)
        }
    }

    /// Removes a checkpoint's archive (and its session's checkpoint directory when it
    /// was the last). Idempotent.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the location is not an archive of this backend.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        try checkpointArchives.delete(checkpoint)
    }
}
