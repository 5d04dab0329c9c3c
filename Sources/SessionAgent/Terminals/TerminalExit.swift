/// How a terminal's command ended: its exit code, or the signal that killed it.
public struct TerminalExit: Hashable, Sendable, CustomStringConvertible {
    /// The exit code (0–255), or nil when a signal ended it.
    public var code: Int32?
    /// The signal that ended it, or nil.
    public var signal: Int32?

    /// An exit from its parts.
    public init(code: Int32?, signal: Int32?) {
        self.code = code
        self.signal = signal
    }

    /// The exit a `waitpid` status describes.
    init(waitStatus status: Int32) {
        if status & 0x7F == 0 {
            self.init(code: (status >> 8) & 0xFF, signal: nil)
        } else {
            self.init(code: nil, signal: status & 0x7F)
        }
    }

    public var description: String {
        if let code { return "exited with status \(code)" }
        return "killed by signal \(signal ?? 0)"
    }
}
