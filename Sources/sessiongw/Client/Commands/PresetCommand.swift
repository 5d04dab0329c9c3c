import ArgumentParser

/// `sessiongw preset`: the preset commands.
struct PresetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preset",
        abstract: "Show the presets sessions are made from.",
        discussion: ClientExitCode.help,
        subcommands: [PresetListCommand.self])
}
