import ArgumentParser

/// `sessiongw checkpoint`: the checkpoint commands.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "List, show and rename sessions' checkpoints.",
        discussion: """
            The gateway takes a checkpoint of a session's own files (not its mounted data) when it starts, \
            periodically while it runs, and when it pauses; 'sessiongw session clone' starts a new session \
            from one.

            \(ClientExitCode.help)
            """,
        subcommands: [CheckpointListCommand.self, CheckpointGetCommand.self, CheckpointRenameCommand.self])
}
