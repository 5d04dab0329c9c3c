import Glibc

/// The local terminal in raw mode for `sessiongw terminal attach`: every key goes to
/// the remote terminal as typed (Ctrl-C, Ctrl-Z and arrows included) and nothing is
/// echoed locally. ``restore()`` puts back the settings found on entry; the attach
/// command calls it on every way out.
final class RawTerminalMode {
    private let descriptor: Int32
    private var saved: termios
    private var restored = false

    private init(descriptor: Int32, saved: termios) {
        self.descriptor = descriptor
        self.saved = saved
    }

    /// Puts `descriptor` in raw mode; nil when it is not a terminal.
    static func enter(_ descriptor: Int32) -> RawTerminalMode? {
        guard isatty(descriptor) == 1 else { return nil }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { return nil }
        let mode = RawTerminalMode(descriptor: descriptor, saved: settings)
        cfmakeraw(&settings)
        guard tcsetattr(descriptor, TCSAFLUSH, &settings) == 0 else { return nil }
        return mode
    }

    /// Restores the settings found on entry; later calls do nothing.
    func restore() {
        guard !restored else { return }
        restored = true
        _ = tcsetattr(descriptor, TCSAFLUSH, &saved)
    }

    /// The window size of the terminal at `descriptor`; nil when it is not one.
    static func windowSize(of descriptor: Int32) -> (rows: UInt32, columns: UInt32)? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        return (UInt32(size.ws_row), UInt32(size.ws_col))
    }
}
