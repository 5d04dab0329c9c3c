import ArgumentParser
import SessionAPI

/// `sessiongw terminal create SESSION_ID [--name NAME] [--directory DIR] [-- COMMAND...]`.
struct TerminalCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Start a terminal in a running session.",
        discussion: "Example: sessiongw terminal create SESSION_ID --name build -- make -j4")

    @Argument(help: "The session's id.")
    var sessionID: String

    @Option(help: "The terminal's name (lower-case letters, digits and '-'); default: a random readable one.")
    var name: String?

    @Option(help: ArgumentHelp("Where it starts; default: the session's home.", valueName: "dir"))
    var directory: String?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command, after '--'; default: the user's shell.", valueName: "command"))
    var command: [String] = []

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let terminal = try await gateway.terminals.createTerminal(V1CreateTerminalRequest(
                workspace: gateway.workspace, sessionID: sessionID, name: name ?? "", command: command,
                workingDirectory: directory ?? ""))
            output.print(terminal) { TerminalView.table([terminal], now: output.now).rendered() }
        }
    }
}
