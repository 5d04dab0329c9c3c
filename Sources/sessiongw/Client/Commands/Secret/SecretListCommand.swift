import ArgumentParser
import SessionAPI

/// `sessiongw secret list`: the workspace's secrets, without their values.
struct SecretListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the workspace's secrets by name; values are never shown.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let response = try await gateway.secrets.listSecrets(V1ListSecretsRequest(workspace: gateway.workspace))
            output.print(response) { SecretView.table(response.secrets, now: output.now).rendered() }
        }
    }
}
