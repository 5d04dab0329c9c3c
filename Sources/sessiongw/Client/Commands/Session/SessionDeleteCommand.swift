import ArgumentParser
import SessionAPI

/// `sessiongw session delete ID`: tears a session down for good.
struct SessionDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a session: tear down its compute and storage. Irreversible.",
        discussion: """
            Refused while the session holds compute (pause it first) unless --force. Deleting a deleted \
            session succeeds (exit status 0) for 30 days after its deletion; an id the workspace never had \
            is NOT_FOUND (exit status 2). With --wait, waits until it is gone.

            \(ClientExitCode.help)
            """)

    @Argument(help: "The session's id.")
    var id: String

    @Flag(help: "Delete even while the session holds compute (for example while RUNNING).")
    var force = false

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1DeleteSessionRequest(workspace: gateway.workspace, sessionID: id, force: force)
            var response = try await gateway.sessions.deleteSession(request)
            if waiting.wait, let session = response.session {
                response.session = try await waiting.waiter(goal: .deleted, gateway: gateway, output: output)
                    .wait(from: session)
            }
            output.print(response) {
                guard let session = response.session else { return "session \(id) is deleted" }
                return SessionView.table([session], now: output.now).rendered()
            }
        }
    }
}
