import ArgumentParser

/// The session gateway.
@main
struct SessionGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessiongw",
        abstract: "The session platform gateway.",
        subcommands: [
            Serve.self, SessionCommand.self, TerminalCommand.self, ActivityCommand.self, UsageCommand.self, CheckpointCommand.self,
            DataLinkCommand.self, SecretCommand.self, PresetCommand.self, ConfigurationCommand.self,
            EnvironmentCommand.self, TokenCommand.self, MemberCommand.self, ConformanceCommand.self, ProviderCommand.self,
        ],
        defaultSubcommand: Serve.self)
}
