import ArgumentParser
import SessionAPI

/// `sessiongw terminal list SESSION_ID`.
struct TerminalListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a running session's terminals, running or exited.")

    @Argument(help: "The session's id.")
    var sessionID: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let response = try await gateway.terminals.listTerminals(
                V1ListTerminalsRequest(workspace: gateway.workspace, sessionID: sessionID))
            output.print(response) { TerminalView.table(response.terminals, now: output.now).rendered() }
        }
    }
}
