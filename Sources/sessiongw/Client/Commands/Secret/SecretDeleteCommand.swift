import ArgumentParser
import SessionAPI

/// `sessiongw secret delete NAME`: deletes a secret.
struct SecretDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a secret.",
        discussion: "Sessions that use it keep running; they cannot start again until it exists.")

    @Argument(help: "The secret's name.")
    var name: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let response = try await gateway.secrets.deleteSecret(V1DeleteSecretRequest(workspace: gateway.workspace, name: name))
            output.print(response) { "secret \(name) is deleted" }
        }
    }
}
