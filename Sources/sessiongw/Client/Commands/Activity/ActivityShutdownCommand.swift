import ArgumentParser
import SessionAPI

/// `sessiongw activity shutdown SESSION_ID KIND ID`.
struct ActivityShutdownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shutdown",
        abstract: "Shut down one activity of a running session.",
        discussion: "Example: sessiongw activity shutdown SESSION_ID kernel 5f1c… (ids as 'activity list' shows them)")

    @Argument(help: "The session's id.")
    var sessionID: String

    @Argument(help: ArgumentHelp("terminal, kernel or jupyter-terminal.", valueName: "kind"))
    var kind: ActivityKindArgument

    @Argument(help: "The activity's id.")
    var id: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            _ = try await gateway.activities.shutdownActivity(V1ShutdownActivityRequest(
                workspace: gateway.workspace, sessionID: sessionID, kind: kind.kind, id: id))
            Console.out("shut down \(kind.rawValue) \(id)")
        }
    }
}

/// An activity kind on the command line.
enum ActivityKindArgument: String, ExpressibleByArgument, CaseIterable {
    case terminal
    case kernel
    case jupyterTerminal = "jupyter-terminal"

    /// The kind in the API.
    var kind: V1ActivityKind {
        switch self {
        case .terminal: .terminal
        case .kernel: .notebookKernel
        case .jupyterTerminal: .jupyterTerminal
        }
    }
}
