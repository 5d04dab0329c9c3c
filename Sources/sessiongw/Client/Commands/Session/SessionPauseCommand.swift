import ArgumentParser
import SessionAPI

/// `sessiongw session pause ID`: releases a session's compute and keeps its files.
struct SessionPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a session: take a final checkpoint, release compute, keep storage.",
        discussion: """
            Pausing a PAUSED session does nothing. A session that is still starting cannot be paused \
            (FAILED_PRECONDITION). With --wait, waits until it is PAUSED.

            \(ClientExitCode.help)
            """)

    @Argument(help: "The session's id.")
    var id: String

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1PauseSessionRequest(workspace: gateway.workspace, sessionID: id)
            let session = try await gateway.sessions.pauseSession(request)
            try await waiting.report(session, goal: .paused, gateway: gateway, output: output)
        }
    }
}
