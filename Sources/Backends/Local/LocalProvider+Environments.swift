import BackendStorage
import Foundation
import Glibc
public import SessionSDK

extension LocalProvider {
    /// The lines of the session's environment build log from line `from` on (see
    /// ``EnvironmentStage``); each line at most 2,000 characters.
    ///
    /// - Throws: `NOT_FOUND` when the session is gone.
    public func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        let id = try sessionID(in: handle)
        let paths = layout.session(id)
        guard Self.isDirectory(paths.directory) else {
            throw SessionError(.notFound, "the Local backend has no session '\(id)'")
        }
        guard line >= 0, let data = FileManager.default.contents(atPath: paths.buildLog) else { return [] }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // The last piece is the line being written (empty after a final newline): not yet.
        lines.removeLast()
        guard line < lines.count else { return [] }
        return lines[line...].prefix(Self.buildLogPageSize).map { String($0.prefix(2000)) }
    }

    /// The environment stage of a session with packages, nil otherwise.
    func environmentStage(of record: SessionRecord) -> EnvironmentStage? {
        guard let key = record.environmentKey, let packages = record.packages else { return nil }
        let paths = layout.session(record.sessionID)
        return EnvironmentStage(
            cacheDirectory: layout.environment(key), buildDirectory: layout.environmentBuild(session: record.sessionID),
            buildLog: paths.buildLog, buildRunningMarker: paths.buildRunning, buildExitStatus: paths.buildExitStatus,
            packages: packages, buildVariables: configuration.baseEnvironment)
    }

    /// Readies a launch of a session with packages: forgets the last build's outcome
    /// and, when the cache lacks the environment, makes an empty build directory the
    /// sandbox user owns (the launcher builds into it).
    func prepareEnvironmentBuild(of record: SessionRecord, paths: SessionPaths) async throws(SessionError) {
        guard let stage = environmentStage(of: record) else { return }
        unlink(paths.buildExitStatus)
        unlink(paths.buildRunning)
        guard !Self.isDirectory(stage.cacheDirectory) else { return }
        do {
            try? FileManager.default.removeItem(atPath: stage.buildDirectory)
            try FileManager.default.createDirectory(
                atPath: layout.environmentsDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
            try FileManager.default.createDirectory(
                atPath: stage.buildDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        } catch {
            throw SessionError(.internalError, "cannot create the build directory \(stage.buildDirectory)", cause: error)
        }
        try await giveToSandboxUser(stage.buildDirectory)
    }

    /// Whether the session's launcher builds (or is about to build) its environment,
    /// and the build's exit status once it ended: a launch builds when the cache lacks
    /// the environment, so until the build's outcome is recorded, a session whose
    /// environment is not cached (or whose build has begun) is building.
    func environmentBuildFacts(of record: SessionRecord, _ paths: SessionPaths) -> (building: Bool, exitStatus: Int32?) {
        let exitStatus = (try? String(contentsOfFile: paths.buildExitStatus, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard exitStatus == nil, let stage = environmentStage(of: record) else { return (false, exitStatus) }
        return (access(paths.buildRunning, F_OK) == 0 || !Self.isDirectory(stage.cacheDirectory), nil)
    }
}
