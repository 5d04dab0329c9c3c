import ArgumentParser
import Foundation
import SessionAPI

/// `sessiongw secret create NAME < value`: creates a secret (or with --replace sets a
/// new value), reading the value from standard input.
struct SecretCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a secret from the value on standard input.",
        discussion: """
            The value is all of standard input, without one trailing newline: \
            printf %s "$TOKEN" | sessiongw secret create api-token. It is never printed.
            """)

    @Argument(help: "The secret's name: letters, digits, '-', '_' and '.'.")
    var name: String

    @Option(help: ArgumentHelp(
        "Give the secret to every session of the workspace as this environment variable.", valueName: "variable"))
    var env: String?

    @Flag(help: "Set a new value (and --env) of an existing secret.")
    var replace = false

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var value = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        if value.hasSuffix("\n") { value.removeLast() }
        try await ClientInvocation.run(connection) { gateway in
            let request = V1CreateSecretRequest(
                workspace: gateway.workspace, name: name, value: value, environmentVariable: env ?? "", replace: replace)
            let secret = try await gateway.secrets.createSecret(request)
            output.print(secret) { SecretView.table([secret], now: output.now).rendered() }
        }
    }
}
