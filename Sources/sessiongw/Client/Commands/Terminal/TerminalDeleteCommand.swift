import ArgumentParser
import SessionAPI

/// `sessiongw terminal delete SESSION_ID NAME`.
struct TerminalDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "End every process of a terminal and forget it and its scrollback.")

    @Argument(help: "The session's id.")
    var sessionID: String

    @Argument(help: "The terminal's name.")
    var name: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            _ = try await gateway.terminals.deleteTerminal(
                V1DeleteTerminalRequest(workspace: gateway.workspace, sessionID: sessionID, name: name))
            Console.out("deleted terminal \(name)")
        }
    }
}
