import ArgumentParser

/// `sessiongw configuration`: the workspace configuration commands.
struct ConfigurationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configuration",
        abstract: "Show the configurations a workspace's sessions can turn on.",
        discussion: """
            Administrators define configurations (environment variables, secret references and a script \
            that runs before the IDE starts). 'session create --configuration NAME' turns one on; one that is \
            on by default is left out with --without-configuration NAME.

            \(ClientExitCode.help)
            """,
        subcommands: [ConfigurationListCommand.self])
}
