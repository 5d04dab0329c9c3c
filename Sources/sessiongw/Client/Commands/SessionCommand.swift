import ArgumentParser

/// `sessiongw session`: the session commands.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Create, inspect and control sessions.",
        discussion: """
            A session is made from a preset (see 'sessiongw preset list') on a compute environment (see \
            'sessiongw environment list'). It starts PENDING and becomes RUNNING; pause it to release compute \
            and keep its files, resume it later, clone a new session from one of its checkpoints, and delete it.

            Every command takes --address, --token and --workspace (or SESSIONGW_ADDRESS, SESSIONGW_TOKEN, \
            SESSIONGW_WORKSPACE, or the config file ~/.config/sessiongw/client.yaml) and --output json.

            \(ClientExitCode.help)
            """,
        subcommands: [
            SessionCreateCommand.self, SessionGetCommand.self, SessionListCommand.self, SessionWatchCommand.self,
            SessionPauseCommand.self, SessionResumeCommand.self, SessionDeleteCommand.self,
            SessionCloneCommand.self, SessionConnectCommand.self, SessionEventsCommand.self, SessionLogsCommand.self,
            SessionUpdateCommand.self,
        ])
}
