import ArgumentParser
import SessionAPI

/// `sessiongw session clone CHECKPOINT_ID NAME`: adds a new session from a checkpoint;
/// `--from-session SESSION_ID NAME` from a stopped session's latest checkpoint.
struct SessionCloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Create a new session from a checkpoint of another (\"add as new\").",
        discussion: """
            The new session has its own isolated future; its preset, compute environment and duration limit \
            are those of the checkpoint's session. Any checkpoint works except the one its session is \
            running from. With --from-session, the first argument is a stopped session whose latest \
            checkpoint to start from. --image switches to another image of the same preset: to migrate a \
            session off a DEPRECATED image, add it as new with the RECOMMENDED one. With --wait, waits \
            until the new session is RUNNING.

            \(ClientExitCode.help)
            """)

    @Argument(help: ArgumentHelp(
        "The checkpoint's id (see 'sessiongw checkpoint list SESSION_ID'); with --from-session, a stopped session's id.",
        valueName: "source"))
    var source: String

    @Argument(help: "The new session's name, unique in the workspace.")
    var name: String

    @Option(help: ArgumentHelp("Another image of the same preset. Default: the source session's.", valueName: "name"))
    var image: String?

    @Flag(help: "Start from the latest checkpoint of the stopped session the first argument names.")
    var fromSession = false

    @Flag(help: "Accept an EXPERIMENTAL --image (not supported; not for production).")
    var allowExperimental = false

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1CloneSessionRequest(
                workspace: gateway.workspace, checkpointID: fromSession ? "" : source, name: name, image: image ?? "",
                sessionID: fromSession ? source : "", allowExperimentalImage: allowExperimental)
            let session = try await gateway.sessions.cloneSession(request)
            try await waiting.report(session, goal: .running, gateway: gateway, output: output)
        }
    }
}
