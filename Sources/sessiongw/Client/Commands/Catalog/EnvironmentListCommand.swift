import ArgumentParser
import SessionAPI

/// `sessiongw environment list`: lists the workspace's compute environments.
struct EnvironmentListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the workspace's compute environments.",
        discussion: "POOLS marks the default pool with '*'. 'session create' uses the first environment by default.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let environments = try await CatalogLookup(gateway: gateway).environments()
            output.print(V1ListComputeEnvironmentsResponse(computeEnvironments: environments)) {
                EnvironmentView.table(environments).rendered()
            }
        }
    }
}
