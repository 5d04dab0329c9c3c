import BackendStorage
public import SessionSDK

extension LocalProvider {
    /// Runs `command` in a fresh sandbox with the session's mounts: its home at
    /// `/workspace` (the working directory), its data-links at `/workspace/data`, with
    /// `HOME=/workspace` and `SESSION_ID`, and its custom environment once built. Works
    /// while the session runs or is paused.
    /// Conformance checks use it to see that links are visible, read-only ones refuse
    /// writes and writable ones take them.
    ///
    /// - Throws: `NOT_FOUND` when the session is gone, `INVALID_ARGUMENT` for an empty
    ///   command, `DEADLINE_EXCEEDED` after the configured execute timeout.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        let id = try sessionID(in: handle)
        guard !command.isEmpty, !command.contains(where: { $0.utf8.contains(0) }) else {
            throw SessionError(.invalidArgument, "the command to execute is empty or contains a NUL character")
        }
        let paths = layout.session(id)
        guard let record = try existingRecord(id, paths) else {
            throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; there is nothing to run in")
        }
        try checkMachine()
        guard Self.isDirectory(record.home) else {
            throw SessionError(.notFound, "the home of session '\(id)' (\(record.home)) is gone")
        }
        var environment = configuration.baseEnvironment
        environment["HOME"] = Self.workspacePath
        environment["SESSION_ID"] = id
        let namespace = namespace(for: record)
        if namespace.environment != nil { environment = EnvironmentBuild.sessionVariables(environment) }
        return try await ChildProcess.run(
            tools.unshare, namespace.unshareArguments(running: command), environment: configuration.baseEnvironment,
            input: SandboxArguments.environment(environment), scratchDirectory: layout.scratchDirectory, timeout: configuration.executeTimeout)
    }
}
