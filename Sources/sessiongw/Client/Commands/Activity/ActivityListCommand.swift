import ArgumentParser
import SessionAPI

/// `sessiongw activity list SESSION_ID`.
struct ActivityListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the terminals, kernels and JupyterLab terminals active on a running session.")

    @Argument(help: "The session's id.")
    var sessionID: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let response = try await gateway.activities.listSessionActivities(
                V1ListSessionActivitiesRequest(workspace: gateway.workspace, sessionID: sessionID))
            output.print(response) { ActivityView.table(response.activities, now: output.now).rendered() }
            if output.output == .table, !response.warning.isEmpty { Console.error("warning: \(response.warning)") }
        }
    }
}
