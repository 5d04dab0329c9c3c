import ArgumentParser

/// `sessiongw environment`: the compute environment commands.
struct EnvironmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "environment",
        abstract: "Show the compute environments sessions run on.",
        discussion: ClientExitCode.help,
        subcommands: [EnvironmentListCommand.self])
}
