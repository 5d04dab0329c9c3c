import ArgumentParser

/// `sessiongw terminal`: the terminal commands.
struct TerminalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal",
        abstract: "Create, list, attach to and delete a running session's terminals.",
        discussion: """
            A terminal is a command (by default the user's shell) on a pseudo-terminal inside the session. \
            It keeps running with nobody attached, keeps its scrollback, and comes back with its name and \
            scrollback (its command started again) when the session is paused and resumed. One client \
            controls a terminal at a time: attaching takes control from the previous client.

            \(ClientExitCode.help)
            """,
        subcommands: [
            TerminalCreateCommand.self, TerminalListCommand.self, TerminalAttachCommand.self, TerminalDeleteCommand.self,
        ])
}
