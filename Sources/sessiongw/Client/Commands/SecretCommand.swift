import ArgumentParser

/// `sessiongw secret`: the secret commands.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Create, list and delete the workspace's secrets (maintain role).",
        discussion: """
            A session gets a secret's value as an environment variable: by name (session create --secret-env \
            NAME=SECRET), or, for a secret created with --env VARIABLE, in every session of the workspace \
            unless the session opts out (the workspace bundle). Values are read from standard input, never \
            from the command line, and never shown again; the gateway keeps them encrypted.

            \(ClientExitCode.help)
            """,
        subcommands: [SecretCreateCommand.self, SecretListCommand.self, SecretDeleteCommand.self])
}
