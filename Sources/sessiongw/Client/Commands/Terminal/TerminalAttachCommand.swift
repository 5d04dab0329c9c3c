import ArgumentParser
import SessionAPI

/// `sessiongw terminal attach SESSION_ID NAME [--detach-keys KEYS]`.
struct TerminalAttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Attach this terminal to a session's terminal.",
        discussion: """
            Replays the terminal's scrollback, then joins it: keys go to it as typed, its output comes \
            here, and window size changes follow. Another client attaching takes control and ends this \
            one with the reason. Type the detach keys (default ctrl-p,ctrl-q) to detach: the terminal \
            keeps running. This terminal's settings are restored however the command ends.
            """)

    @Argument(help: "The session's id.")
    var sessionID: String

    @Argument(help: "The terminal's name.")
    var name: String

    @Option(help: ArgumentHelp("The keys that detach, such as ctrl-p,ctrl-q or ctrl-].", valueName: "keys"))
    var detachKeys = DetachKeys.standard.description

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let keys = try DetachKeys(parsing: detachKeys)
            let outcome = try await TerminalAttacher(gateway: gateway, sessionID: sessionID, name: name, detachKeys: keys).run()
            switch outcome {
            case .detachedByKeys:
                Console.error("\r\n[detached from terminal \(name); it keeps running]")
            case .detached(let reason):
                Console.error("\r\n[detached from terminal \(name): \(reason)]")
            case .exited(let terminal):
                Console.error("\r\n[terminal \(name) \(TerminalView.status(of: terminal))]")
            case .signalled(let number):
                Console.error("\r\n[detached from terminal \(name) on signal \(number)]")
            case .ended:
                Console.error("\r\n[the gateway ended the attachment to terminal \(name)]")
            }
        }
    }
}
