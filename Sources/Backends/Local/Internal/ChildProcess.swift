import Glibc
import SessionSDK

/// A child process started with `posix_spawn`, in its own process group, with default
/// signal handling and an empty signal mask (the gateway may ignore or block signals
/// such as SIGTERM and SIGPIPE, and children must not inherit that), and with no file
/// descriptors but the three standard ones. Standard input is `/dev/null`, or an
/// anonymous in-memory file holding given bytes (never a file on disk).
///
/// The owner must reap it: ``waitForExit(timeout:)`` does, and on timeout or
/// cancellation it kills the child's process group first.
struct ChildProcess: Sendable {
    /// Where a standard stream goes.
    enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file, created with mode 0600; appended to or truncated.
        case file(String, append: Bool)
    }

    /// How a child ended.
    enum Termination: Hashable, Sendable {
        /// It called `exit` with this status.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)
        /// Someone else reaped it; the status is lost.
        case unknown

        /// A shell-style exit code: the status, or 128 plus the signal.
        var exitCode: Int32 {
            switch self {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            case .unknown: -1
            }
        }
    }

    /// The child's process id, also its process group id.
    let pid: pid_t
    /// The program, for messages.
    let executable: String

    /// Starts `executable` with `arguments` (not including argv[0]) and exactly
    /// `environment`; `input`, when given, is what it reads on standard input.
    ///
    /// - Throws: `INTERNAL` when the spawn fails (a missing program is caught earlier
    ///   by the tool lookup, so this is unexpected).
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], input: [UInt8]? = nil,
        standardOutput: Stream = .null, standardError: Stream = .null
    ) throws(SessionError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        try check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init", executable)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        try check(posix_spawnattr_init(&attributes), "posix_spawnattr_init", executable)
        defer { posix_spawnattr_destroy(&attributes) }

        var inputFile: Int32 = -1
        defer { if inputFile >= 0 { close(inputFile) } }
        if let input {
            inputFile = try Self.memoryFile(holding: input, for: executable)
            try check(posix_spawn_file_actions_adddup2(&actions, inputFile, 0), "adddup2 stdin", executable)
        } else {
            try check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin", executable)
        }
        for (descriptor, stream) in [(Int32(1), standardOutput), (Int32(2), standardError)] {
            let (path, flags): (String, Int32) = switch stream {
            case .null: ("/dev/null", O_WRONLY)
            case .file(let path, let append): (path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC))
            }
            try check(posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o600), "addopen \(path)", executable)
        }
        if let closeFrom = closeFromAction {
            try check(closeFrom(&actions, 3), "posix_spawn_file_actions_addclosefrom_np", executable)
        }

        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        sigdelset(&everySignal, SIGKILL)
        sigdelset(&everySignal, SIGSTOP)
        try check(posix_spawnattr_setsigmask(&attributes, &noSignals), "posix_spawnattr_setsigmask", executable)
        try check(posix_spawnattr_setsigdefault(&attributes, &everySignal), "posix_spawnattr_setsigdefault", executable)
        try check(posix_spawnattr_setpgroup(&attributes, 0), "posix_spawnattr_setpgroup", executable)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "posix_spawnattr_setflags", executable)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        try check(posix_spawn(&pid, executable, &actions, &attributes, argv, envp), "posix_spawn", executable)
        return ChildProcess(pid: pid, executable: executable)
    }

    /// Waits until the child exits and reaps it. Polls with `WNOHANG` and sleeps in
    /// between, so no thread blocks.
    ///
    /// - Throws: `DEADLINE_EXCEEDED` after `timeout`, `CANCELLED` when the task is
    ///   cancelled; either way the child's process group is killed and reaped first.
    func waitForExit(timeout: Duration? = nil) async throws(SessionError) -> Termination {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        var pause = Duration.milliseconds(1)
        while true {
            if let termination = reap(options: WNOHANG) { return termination }
            if let deadline, clock.now >= deadline {
                killAndReap()
                throw SessionError(.deadlineExceeded, "\(executable) did not finish within \(timeout!); it was killed")
            }
            do {
                try await Task.sleep(for: pause)
            } catch {
                killAndReap()
                throw SessionError(.cancelled, "cancelled while waiting for \(executable); it was killed", cause: error)
            }
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// Kills the child's process group and reaps the child, blocking briefly.
    func killAndReap() {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        _ = reap(options: 0)
    }

    /// One `waitpid`: the termination, or nil while the child runs.
    private func reap(options: Int32) -> Termination? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, options)
            if result == pid { return Self.termination(fromWaitStatus: status) }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            return .unknown  // ECHILD: reaped elsewhere
        }
    }

    /// Decodes a `waitpid` status (the `WIFEXITED` family are macros Swift cannot see).
    static func termination(fromWaitStatus status: Int32) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// An anonymous in-memory file (close-on-exec) holding `bytes`, positioned at its
    /// start.
    private static func memoryFile(holding bytes: [UInt8], for executable: String) throws(SessionError) -> Int32 {
        let closeOnExec: UInt32 = 1  // MFD_CLOEXEC
        guard let memfdCreate = memfdCreate else {
            throw SessionError(.internalError, "could not start \(executable): this C library has no memfd_create")
        }
        let descriptor = memfdCreate("child-input", closeOnExec)
        guard descriptor >= 0 else {
            throw SessionError(.internalError, "could not start \(executable): memfd_create failed: \(String(cString: strerror(errno)))")
        }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(descriptor)
                throw SessionError(.internalError, "could not start \(executable): writing its input failed: \(String(cString: strerror(errno)))")
            }
            written += count
        }
        lseek(descriptor, 0, SEEK_SET)
        return descriptor
    }

    private static func check(_ result: Int32, _ call: String, _ executable: String) throws(SessionError) {
        guard result != 0 else { return }
        throw SessionError(.internalError, "could not start \(executable): \(call) failed: \(String(cString: strerror(result)))")
    }

    private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `memfd_create`, which the Glibc module does not export (it is behind
    /// `_GNU_SOURCE`).
    private static let memfdCreate: MemfdCreate? = {
        guard let symbol = dlsym(nil, "memfd_create") else { return nil }
        return unsafeBitCast(symbol, to: MemfdCreate.self)
    }()

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which the Glibc module
    /// does not export; nil on older C libraries (children then inherit descriptors
    /// opened without `O_CLOEXEC`).
    private static let closeFromAction: CloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()
}
