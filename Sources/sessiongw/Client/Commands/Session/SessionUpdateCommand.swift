import ArgumentParser
import SessionAPI

/// `sessiongw session update ID ...`: changes parts of a session's spec.
struct SessionUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a session's pod size, pool, environment, home volume, data-links, labels or duration limit.",
        discussion: """
            Only the fields given change. Lists replace the session's: --env (with --secret-env) gives the \
            complete new set of variables, --label the complete new labels, --data-link the complete new \
            data-links; --clear-env, --clear-labels and --clear-data-links remove them all. Labels and the \
            duration limit can change at any time; every other change needs a PAUSED session and is refused \
            otherwise (FAILED_PRECONDITION): pause, update, resume.

            Example: sessiongw session update s-1234 --pod-size large

            \(ClientExitCode.help)
            """)

    @Argument(help: "The session's id.")
    var id: String

    @Option(help: ArgumentHelp("A new pod size of the preset.", valueName: "name"))
    var podSize: String?

    @Option(help: ArgumentHelp("A new compute pool.", valueName: "pool"))
    var pool: String?

    @Option(help: ArgumentHelp("An environment variable of the new set; repeat for several.", valueName: "name=value"))
    var env: [KeyValueArgument] = []

    @Option(help: ArgumentHelp("A variable of the new set from a secret; repeat for several.", valueName: "name=secret"))
    var secretEnv: [KeyValueArgument] = []

    @Flag(help: "Remove every environment variable.")
    var clearEnv = false

    @Option(help: ArgumentHelp("A label of the new set; repeat for several.", valueName: "key=value"))
    var label: [KeyValueArgument] = []

    @Flag(help: "Remove every label.")
    var clearLabels = false

    @Option(help: ArgumentHelp("A data-link of the new set; repeat for several.", valueName: "id"))
    var dataLink: [String] = []

    @Flag(help: "Unmount every data-link.")
    var clearDataLinks = false

    @Option(help: ArgumentHelp("A new duration limit, such as 8h; 'none' for no limit.", valueName: "duration"))
    var duration: DurationArgument?

    @Option(help: ArgumentHelp("A new home volume of this size.", valueName: "size"))
    var homeSize: ByteSizeArgument?

    @Option(help: ArgumentHelp("An existing volume claim as the new home volume.", valueName: "claim"))
    var homeClaim: String?

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    /// The changes the options ask for.
    var changes: SessionSpecChanges {
        SessionSpecChanges(
            podSize: podSize, computePool: pool, env: env, secretEnv: secretEnv, clearEnv: clearEnv, labels: label,
            clearLabels: clearLabels, dataLinks: dataLink, clearDataLinks: clearDataLinks, durationLimit: duration,
            homeVolume: homeSize.map { V1HomeVolume(source: .newSizeBytes($0.bytes)) }
                ?? homeClaim.map { V1HomeVolume(source: .existingClaim($0)) })
    }

    func validate() throws {
        if homeSize != nil, homeClaim != nil { throw ValidationError("give --home-size or --home-claim, not both") }
        _ = try changes.request(workspace: "", sessionID: id)
    }

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = try changes.request(workspace: gateway.workspace, sessionID: id)
            let session = try await gateway.sessions.updateSession(request)
            output.print(session) { SessionView.table([session], now: output.now).rendered() }
        }
    }
}
