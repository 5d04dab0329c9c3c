import ArgumentParser
import SessionAPI

/// `sessiongw session create NAME --preset P ...`: creates a session.
struct SessionCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a session from a preset.",
        discussion: """
            The image defaults to the preset's recommended one and the compute environment to the first the \
            workspace has. Creating is idempotent: the same name and spec return the existing session; a \
            different spec under the same name is refused (ALREADY_EXISTS).

            Example: sessiongw session create analysis --preset jupyter --env MODE=dev \
            --data-link dl-1234 --label team=ml --duration 8h --wait

            \(ClientExitCode.help)
            """)

    @Argument(help: "The session's name, unique in the workspace.")
    var name: String

    @Option(help: ArgumentHelp("The preset's id (see 'sessiongw preset list').", valueName: "id"))
    var preset: String

    @Option(help: ArgumentHelp("An image of the preset's catalog. Default: its recommended image.", valueName: "name"))
    var image: String?

    @Option(help: ArgumentHelp("A pod size of the preset. Default: the preset's default size.", valueName: "name"))
    var podSize: String?

    @Option(help: ArgumentHelp(
        "The compute environment's id. Default: the workspace's first (see 'sessiongw environment list').",
        valueName: "id"))
    var environment: String?

    @Option(help: ArgumentHelp("The compute pool. Default: the environment's default pool.", valueName: "pool"))
    var pool: String?

    @Option(help: ArgumentHelp("An environment variable; repeat for several.", valueName: "name=value"))
    var env: [KeyValueArgument] = []

    @Option(help: ArgumentHelp(
        "An environment variable set from a secret of the workspace; repeat for several.", valueName: "name=secret"))
    var secretEnv: [KeyValueArgument] = []

    @Option(help: ArgumentHelp(
        "The size of a new home volume, such as 5GiB. Default: the preset's (5 GiB unless it says otherwise).",
        valueName: "size"))
    var homeSize: ByteSizeArgument?

    @Option(help: ArgumentHelp("Use this existing volume claim as the home volume.", valueName: "claim"))
    var homeClaim: String?

    @Option(help: ArgumentHelp(
        "A data-link to mount at /workspace/data/<name>; repeat for several (see 'sessiongw datalink list').",
        valueName: "id"))
    var dataLink: [String] = []

    @Option(help: ArgumentHelp("A label; repeat for several.", valueName: "key=value"))
    var label: [KeyValueArgument] = []

    @Option(help: ArgumentHelp("How long the session may run before it is paused, such as 8h. Default: no limit.",
                               valueName: "duration"))
    var duration: DurationArgument?

    @Flag(help: "Accept an EXPERIMENTAL image (not supported; not for production).")
    var allowExperimental = false

    @Flag(help: "Go without the workspace's secret bundle (the secrets every session gets by default).")
    var noWorkspaceSecrets = false

    @Option(name: .customLong("configuration"), help: ArgumentHelp(
        "Turn on a configuration of the workspace (see 'sessiongw configuration list'); repeat for several.",
        valueName: "name"))
    var configurations: [String] = []

    @Option(help: ArgumentHelp("Leave out a configuration that is on by default; repeat for several.", valueName: "name"))
    var withoutConfiguration: [String] = []

    @Option(name: .customLong("package"), help: ArgumentHelp(
        "A Python package to install on top of the image (a pip requirement such as numpy==2.1.0); repeat for several. "
            + "The session is BUILDING first; follow the build with 'sessiongw session logs ID --follow'.",
        valueName: "requirement"))
    var packages: [String] = []

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if homeSize != nil, homeClaim != nil { throw ValidationError("give --home-size or --home-claim, not both") }
        _ = try SessionSpecArguments.environment(plain: env, secret: secretEnv)
        _ = try KeyValueArgument.dictionary(label, option: "--label")
    }

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let catalog = CatalogLookup(gateway: gateway)
            var spec = V1SessionSpec(
                preset: preset,
                podSize: podSize ?? "",
                computePool: pool ?? "",
                env: try SessionSpecArguments.environment(plain: env, secret: secretEnv),
                dataLinkIDs: dataLink,
                labels: try KeyValueArgument.dictionary(label, option: "--label"),
                durationLimit: duration?.limit, excludeWorkspaceSecrets: noWorkspaceSecrets, configurations: configurations,
                excludedConfigurations: withoutConfiguration, packages: packages)
            if let homeSize { spec.homeVolume = V1HomeVolume(source: .newSizeBytes(homeSize.bytes)) }
            if let homeClaim { spec.homeVolume = V1HomeVolume(source: .existingClaim(homeClaim)) }
            if let image {
                spec.image = image
            } else {
                spec.image = try await catalog.recommendedImage(ofPreset: preset)
            }
            if let environment {
                spec.computeEnvironment = environment
            } else {
                spec.computeEnvironment = try await catalog.firstEnvironment()
            }
            let request = V1CreateSessionRequest(
                workspace: gateway.workspace, name: name, spec: spec, allowExperimentalImage: allowExperimental)
            let session = try await gateway.sessions.createSession(request)
            try await waiting.report(session, goal: .running, gateway: gateway, output: output)
        }
    }
}
