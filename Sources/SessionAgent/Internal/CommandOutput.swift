internal import CPseudoTerminal
import Glibc

/// The standard output of a short command, read with a deadline. Spawned with
/// `posix_spawn` and reaped by its own pid, like the agent's other processes, never with
/// Foundation's `Process` (whose child handling is process-wide).
enum CommandOutput {
    /// Runs `argv` (`argv[0]` a path) and returns what it printed when it exits 0 within
    /// `timeout`; nil when it cannot start, fails or runs too long (it is then killed).
    static func read(_ argv: [String], timeout: Duration) -> String? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var pid: pid_t = 0
        let started = withCStrings(argv) { arguments in withCStrings([]) { cpt_spawn_reading(&pid, ends[1], arguments, $0) } }
        close(ends[1])
        defer { close(ends[0]) }
        guard started == 0 else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                timedOut = true
                break
            }
            var ready = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            let polled = poll(&ready, 1, max(1, milliseconds))
            if polled < 0, errno == EINTR { continue }
            guard polled > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(ends[0], $0.baseAddress, $0.count) }
            if count > 0 {
                output += buffer[0..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        if timedOut { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitedCleanly = (status & 0x7f) == 0 && (status >> 8) & 0xff == 0
        return !timedOut && exitedCleanly ? String(decoding: output, as: UTF8.self) : nil
    }
}
