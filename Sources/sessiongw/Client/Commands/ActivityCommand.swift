import ArgumentParser

/// `sessiongw activity`: the session panel's commands.
struct ActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "List what is active on a running session's compute, and shut down what is no longer needed.",
        discussion: """
            Activities are the session's terminals and, in a JupyterLab session, its notebook kernels and \
            JupyterLab terminals. Each holds memory and CPU of the session's compute; the list warns when \
            more than six are active.

            \(ClientExitCode.help)
            """,
        subcommands: [ActivityListCommand.self, ActivityShutdownCommand.self])
}
