internal import CPseudoTerminal
import Glibc
import Foundation
import Synchronization

/// A command running on a real pseudo-terminal, as the leader of its own session and
/// process group, with the terminal as its controlling terminal: job control, `TERM`,
/// window sizes and signals behave as in any terminal emulator.
///
/// Output is read on a dedicated thread and handed to `output`; `exited` is called once,
/// with the command's wait status, after the last output. ``terminate()`` ends every
/// process of the terminal's session.
final class PseudoTerminal: Sendable {
    /// An error of the operating system, with the call that failed.
    struct SystemError: Error, CustomStringConvertible {
        /// The call, such as `posix_spawnp`.
        var call: String
        /// The `errno` value.
        var code: Int32

        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    /// The command's process id, which is also its process group and session id.
    let pid: pid_t
    /// The controlling side while it is open; the reader closes it after the last
    /// output, under the lock, so that no write reaches a reused descriptor number.
    private let descriptor: Mutex<Int32?>
    /// How long a write waits for a program that does not read its input.
    private static let writeTimeout: Int32 = 5_000

    /// Starts `command` (searched in `PATH` when it has no slash) in `directory`.
    ///
    /// - Parameters:
    ///   - output: called on the reader thread with each chunk the terminal prints.
    ///   - exited: called once on the reader thread, after the last output, with the
    ///     command's exit.
    /// - Throws: ``SystemError`` when the terminal cannot be opened or the command
    ///   cannot be started (`ENOENT` for a command that does not exist).
    init(
        command: [String], environment: [String: String], directory: String, size: PseudoTerminalSize,
        output: @escaping @Sendable ([UInt8]) -> Void, exited: @escaping @Sendable (TerminalExit) -> Void
    ) throws {
        precondition(!command.isEmpty, "a terminal needs a command")
        var path = [CChar](repeating: 0, count: 256)
        let descriptor = cpt_open(&path, path.count)
        guard descriptor >= 0 else { throw SystemError(call: "posix_openpt", code: -descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        let sizeResult = cpt_set_window_size(descriptor, size.rows, size.columns)
        guard sizeResult == 0 else {
            Glibc.close(descriptor)
            throw SystemError(call: "ioctl(TIOCSWINSZ)", code: -sizeResult)
        }
        var pid: pid_t = 0
        let variables = environment.map { "\($0.key)=\($0.value)" }.sorted()
        let result = withCStrings(command) { argv in
            withCStrings(variables) { envp in
                cpt_spawn(&pid, path, directory, argv, envp)
            }
        }
        guard result == 0 else {
            Glibc.close(descriptor)
            throw SystemError(call: "posix_spawnp \(command[0])", code: result)
        }
        self.pid = pid
        self.descriptor = Mutex(descriptor)
        DetachedThread.start { [self] in Self.read(self, descriptor: descriptor, output: output, exited: exited) }
    }

    /// Writes `bytes` as if typed. A program that does not read its input gets
    /// `writeTimeout` milliseconds to make room; what does not fit then is dropped.
    /// Does nothing once the terminal has ended.
    func write(_ bytes: [UInt8]) {
        descriptor.withLock { descriptor in
            guard let descriptor else { return }
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written >= 0 {
                        offset += written
                    } else if errno == EAGAIN {
                        var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                        guard poll(&ready, 1, Self.writeTimeout) > 0 else { return }
                    } else if errno != EINTR {
                        return
                    }
                }
            }
        }
    }

    /// Changes the window size; the foreground process group gets `SIGWINCH`.
    func resize(_ size: PseudoTerminalSize) {
        descriptor.withLock { descriptor in
            guard let descriptor else { return }
            _ = cpt_set_window_size(descriptor, size.rows, size.columns)
        }
    }

    /// Sends `signal` to the command's process group.
    func signal(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    /// Ends every process of the terminal's session, job-control jobs in their own
    /// process groups and programs that ignore `SIGHUP` included: `SIGHUP` first, as
    /// a closed terminal sends, then `SIGKILL`.
    func terminate() {
        for process in Self.processes(inSession: pid) {
            _ = kill(process, SIGHUP)
            _ = kill(process, SIGCONT)
        }
        for process in Self.processes(inSession: pid) {
            _ = kill(process, SIGKILL)
        }
    }

    /// The processes whose session id is `session` (field 6 of `/proc/PID/stat`).
    static func processes(inSession session: pid_t) -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [pid_t] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat") else { continue }
            // "PID (COMMAND) STATE PPID PGRP SESSION ..."; the command may hold spaces and parentheses.
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 3, pid_t(fields[3]) == session { found.append(pid) }
        }
        return found
    }

    /// Called by the reader after the last output.
    private func closeDescriptor() {
        descriptor.withLock { descriptor in
            if let open = descriptor { Glibc.close(open) }
            descriptor = nil
        }
    }

    /// The reader: waits for output with `poll` and reads it until the terminal has
    /// no writer left (EIO), then reaps the command and closes the descriptor.
    private static func read(
        _ terminal: PseudoTerminal, descriptor: Int32, output: @Sendable ([UInt8]) -> Void,
        exited: @Sendable (TerminalExit) -> Void
    ) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, -1) < 0, errno != EINTR { break }
            // Reads what is there now, up to the buffer's size, so that fast output goes
            // out in few large chunks rather than the terminal's 4 KiB ones.
            var count = 0
            var ended = false
            while count < buffer.count {
                let read = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
                if read > 0 {
                    count += read
                } else {
                    ended = read == 0 || (errno != EINTR && errno != EAGAIN)  // EIO: no process holds the terminal
                    break
                }
            }
            if count > 0 { output(Array(buffer[0..<count])) }
            if ended { break }
        }
        var status: Int32 = 0
        while waitpid(terminal.pid, &status, 0) < 0, errno == EINTR {}
        terminal.closeDescriptor()
        exited(TerminalExit(waitStatus: status))
    }
}
