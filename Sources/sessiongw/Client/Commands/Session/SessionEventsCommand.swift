import ArgumentParser
import SessionAPI

/// `sessiongw session events ID`: prints a session's activity log.
struct SessionEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print a session's activity log, oldest first.",
        discussion: "Prints every entry, following page tokens; --page-size sets the size of each request.")

    @Argument(help: "The session's id.")
    var id: String

    @Option(help: ArgumentHelp("The most entries per request; 0 for the gateway's default (100).", valueName: "n"))
    var pageSize: Int32 = 0

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard pageSize >= 0 else { throw ValidationError("--page-size must not be negative") }
    }

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let (events, _) = try await gateway.pages(from: "", all: true) { token in
                let request = V1ListSessionEventsRequest(
                    workspace: gateway.workspace, sessionID: id, pageSize: pageSize, pageToken: token)
                let page = try await gateway.sessions.listSessionEvents(request)
                return (page.events, page.nextPageToken)
            }
            let response = V1ListSessionEventsResponse(events: events)
            output.print(response) { SessionEventView.table(events).rendered() }
        }
    }
}
