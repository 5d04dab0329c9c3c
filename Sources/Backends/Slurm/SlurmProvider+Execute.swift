import BackendStorage
import Foundation
import Glibc
public import SessionSDK

extension SlurmProvider {
    /// Runs `command` on the gateway host in the session's sandbox: its home (on the
    /// shared filesystem) at `/workspace`, its data-links at `/workspace/data` with the
    /// same access as in the job, `HOME=/workspace`, `SESSION_ID`. Works while the
    /// session runs or is paused. Needs the gateway host to see the shared filesystem
    /// and the data-links' directories at the cluster's paths, and `/workspace`.
    ///
    /// - Throws: `NOT_FOUND` when the session or its home is gone, `INVALID_ARGUMENT` for
    ///   an empty command, `DEADLINE_EXCEEDED` after the execute timeout.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        let id = try sessionID(in: handle)
        guard !command.isEmpty, !command.contains(where: { $0.utf8.contains(0) }) else {
            throw SessionError(.invalidArgument, "the command to execute is empty or contains a NUL character")
        }
        let files = files(id)
        guard let record = try existingRecord(id, files) else {
            throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; there is nothing to run in")
        }
        guard Self.isDirectory(record.home) else {
            throw SessionError(.notFound, "the home of session '\(id)' (\(record.home)) is gone")
        }
        if !Self.isDirectory(BatchScript.workspace) {
            try? FileManager.default.createDirectory(atPath: BatchScript.workspace, withIntermediateDirectories: false)
        }
        var environment = configuration.baseEnvironment
        environment["HOME"] = BatchScript.workspace
        environment["SESSION_ID"] = id
        let script = batchScript(id, files: files, record: record, command: command)
        let asRoot = geteuid() == 0
        if asRoot {
            // A session that never ran has not been given its home yet.
            let owned = script.ownedPaths.filter { Self.owner(of: $0) != configuration.sandboxUserID }
            if !owned.isEmpty {
                let chown = try await LocalCommand.run(
                    "/usr/bin/chown", ["-R", "-P", "\(configuration.sandboxUserID):\(configuration.sandboxGroupID)", "--"] + owned,
                    environment: configuration.baseEnvironment, timeout: configuration.executeTimeout)
                guard chown.exitCode == 0 else {
                    throw SessionError(.internalError, "cannot give session '\(id)''s home to the sandbox user: \(chown.errorOutput.prefix(300))")
                }
            }
        }
        return try await LocalCommand.run(
            "/usr/bin/unshare", script.unshareArguments(running: command, asRoot: asRoot), environment: configuration.baseEnvironment,
            input: Data(SandboxArguments.environment(environment)), timeout: configuration.executeTimeout)
    }

    /// The owner of `path`, or nil when it cannot be read.
    static func owner(of path: String) -> UInt32? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_uid : nil
    }
}
