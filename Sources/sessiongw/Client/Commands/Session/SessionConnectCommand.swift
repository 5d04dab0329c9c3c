import ArgumentParser
import SessionAPI

/// `sessiongw session connect ID`: prints how to reach a running session's IDE.
struct SessionConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Print the URL and access token of a RUNNING session's IDE.",
        discussion: "Refused (FAILED_PRECONDITION, naming the state) unless the session is RUNNING.")

    @Argument(help: "The session's id.")
    var id: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1GetSessionConnectionRequest(workspace: gateway.workspace, sessionID: id)
            let details = try await gateway.sessions.getSessionConnection(request)
            output.print(details) { ConnectionView.detail(details).rendered() }
        }
    }
}
