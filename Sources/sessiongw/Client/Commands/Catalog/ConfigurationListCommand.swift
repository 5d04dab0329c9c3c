import ArgumentParser
import SessionAPI

/// `sessiongw configuration list`: lists the workspace's configurations.
struct ConfigurationListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the workspace's configurations; DEFAULT marks those on by default.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let response = try await gateway.catalog.listConfigurations(V1ListConfigurationsRequest(workspace: gateway.workspace))
            output.print(response) { ConfigurationView.table(response.configurations).rendered() }
        }
    }
}
