import BackendStorage
import Logging
public import SessionSDK

extension LocalProvider {
    /// Sets the size of a growing home (``Configuration/growingHomes``), online; returns
    /// its size now (a shrink stops above what it holds).
    ///
    /// - Throws: `UNIMPLEMENTED` with growing homes off, `NOT_FOUND` when the session is
    ///   gone, `FAILED_PRECONDITION` for a home that is a directory (an existing volume),
    ///   `INVALID_ARGUMENT` for a size that is not positive.
    public func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        guard homeImageTools != nil else { throw Self.unimplemented("resizing homes (set growingHomes)", capability: .growingHome) }
        let id = try sessionID(in: handle)
        guard size > 0 else { throw SessionError(.invalidArgument, "a home's size must be more than 0 bytes, not \(size)") }
        return try await sessionLocks.withLock(id) {
            guard let record = try existingRecord(id, layout.session(id)), let image = homeImage(of: record) else {
                throw SessionError(
                    .failedPrecondition, "the home of session '\(id)' is a directory, not a filesystem of its own; it cannot be resized")
            }
            let resized = try await image.resize(to: size)
            logger.info("resized home", metadata: ["session.id": "\(id)", "home.bytes": "\(resized)"])
            return resized
        }
    }

    /// The growing home of a session that has one.
    func homeImage(of record: SessionRecord) -> HomeImage? {
        guard record.growingHome == true, let tools = homeImageTools else { return nil }
        return homeImage(layout.session(record.sessionID), tools: tools)
    }

    /// The growing home at a session's paths.
    func homeImage(_ paths: SessionPaths, tools: HomeImage.Tools) -> HomeImage {
        HomeImage(
            image: paths.homeImage, mountPoint: paths.home, tools: tools, environment: configuration.baseEnvironment,
            scratchDirectory: layout.scratchDirectory)
    }

    /// Mounts a growing home that is not (after the machine restarted): before anything
    /// reads or writes the home.
    func mountHome(of record: SessionRecord) async throws(SessionError) {
        try await homeImage(of: record)?.ensureMounted()
    }
}
