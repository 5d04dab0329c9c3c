internal import CPseudoTerminal
import Glibc
public import SessionSDK
import Synchronization

/// The session's IDE command, started and watched by the agent: the leader of its own
/// process group, sharing the agent's output (the session's log), ready once it
/// answers on its port.
public final class IDESupervisor: Sendable {
    /// The command's process id (and process group).
    public let pid: Int32
    /// The port it serves on (`$SESSION_PORT`), probed for readiness; nil for none.
    public let port: Int?
    private let exit = Mutex<(status: TerminalExit?, waiters: [CheckedContinuation<TerminalExit, Never>])>((nil, []))

    /// Starts `command` in `directory` with `environment`.
    ///
    /// - Throws: `FAILED_PRECONDITION` when it cannot be started, such as a program
    ///   that does not exist.
    public init(command: [String], environment: [String: String], directory: String, port: Int?) throws(SessionError) {
        guard !command.isEmpty else { throw SessionError(.invalidArgument, "the IDE command is empty") }
        var pid: pid_t = 0
        let variables = environment.map { "\($0.key)=\($0.value)" }.sorted()
        let result = withCStrings(command) { argv in
            withCStrings(variables) { envp in cpt_spawn_group(&pid, directory, argv, envp) }
        }
        guard result == 0 else {
            throw SessionError(.failedPrecondition, "cannot start the IDE command \(command[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.port = port
        DetachedThread.start { [self, pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            let ended = TerminalExit(waitStatus: status)
            let waiters = exit.withLock { state in
                state.status = ended
                defer { state.waiters = [] }
                return state.waiters
            }
            waiters.forEach { $0.resume(returning: ended) }
        }
    }

    /// How the command ended; nil while it runs.
    public var status: TerminalExit? { exit.withLock { $0.status } }

    /// Whether the command answers on its port (false while it runs without one).
    public var isReady: Bool {
        guard status == nil, let port else { return false }
        return TCPProbe.accepts(host: "127.0.0.1", port: port, timeout: .milliseconds(200))
    }

    /// Waits for the command to end.
    public func waitForExit() async -> TerminalExit {
        await withCheckedContinuation { continuation in
            let ended: TerminalExit? = exit.withLock { state in
                if state.status == nil { state.waiters.append(continuation) }
                return state.status
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }

    /// Sends `signal` to the command's process group.
    public func signal(_ signal: Int32) {
        guard status == nil else { return }
        _ = kill(-pid, signal)
    }
}
