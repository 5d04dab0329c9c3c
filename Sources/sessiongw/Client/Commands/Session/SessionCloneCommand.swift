import ArgumentParser
import SessionAPI

/// `sessiongw session clone CHECKPOINT_ID NAME`: adds a new session from a checkpoint.
struct SessionCloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Create a new session from a checkpoint of another (\"add as new\").",
        discussion: """
            The new session has its own isolated future; its preset, compute environment and duration limit \
            are those of the checkpoint's session. Any checkpoint works except the one its session is \
            running from. With --wait, waits until the new session is RUNNING.

            \(ClientExitCode.help)
            """)

    @Argument(help: "The checkpoint's id (see 'sessiongw checkpoint list SESSION_ID').")
    var checkpointID: String

    @Argument(help: "The new session's name, unique in the workspace.")
    var name: String

    @Option(help: ArgumentHelp("Another image of the same preset. Default: the source session's.", valueName: "name"))
    var image: String?

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1CloneSessionRequest(
                workspace: gateway.workspace, checkpointID: checkpointID, name: name, image: image ?? "")
            let session = try await gateway.sessions.cloneSession(request)
            try await waiting.report(session, goal: .running, gateway: gateway, output: output)
        }
    }
}
