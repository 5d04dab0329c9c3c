import ArgumentParser
import SessionAPI

/// `sessiongw session get ID`: shows one session.
struct SessionGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show a session: its state, spec, connection URL and data-links.")

    @Argument(help: "The session's id.")
    var id: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1GetSessionRequest(workspace: gateway.workspace, sessionID: id)
            let session = try await gateway.sessions.getSession(request)
            output.print(session) { SessionView.detail(session, now: output.now).rendered() }
        }
    }
}
