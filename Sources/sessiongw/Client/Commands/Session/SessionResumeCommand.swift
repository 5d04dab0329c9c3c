import ArgumentParser
import SessionAPI

/// `sessiongw session resume ID`: starts a paused session again.
struct SessionResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused (or failed) session with its storage reattached.",
        discussion: """
            Resuming a RUNNING session does nothing. With --wait, waits until it is RUNNING again.

            \(ClientExitCode.help)
            """)

    @Argument(help: "The session's id.")
    var id: String

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1ResumeSessionRequest(workspace: gateway.workspace, sessionID: id)
            let session = try await gateway.sessions.resumeSession(request)
            try await waiting.report(session, goal: .running, gateway: gateway, output: output)
        }
    }
}
