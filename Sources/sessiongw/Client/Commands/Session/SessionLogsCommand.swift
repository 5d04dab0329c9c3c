import ArgumentParser
import SessionAPI

/// `sessiongw session logs ID [--follow]`: prints the output of a session's
/// environment build, kept in its activity log.
struct SessionLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the build log of a session's custom environment.",
        discussion: """
            Prints the output of building the session's environment (its --package list), one line per entry, as \
            the gateway recorded it in the activity log. With --follow, keeps printing while the session is PENDING \
            or BUILDING and stops when the build ends: exit status 0 when the session went on to start, 3 when it \
            is BUILD_FAILED (the reason goes to standard error).
            """)

    @Argument(help: "The session's id.")
    var id: String

    @Flag(name: [.short, .long], help: "Keep printing new lines until the build ends.")
    var follow = false

    @OptionGroup var connection: ConnectionOptions

    /// How often --follow looks for new lines.
    static let followInterval: Duration = .milliseconds(500)

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            var reader = BuildLogReader()
            while true {
                let session = try await gateway.sessions.getSession(
                    V1GetSessionRequest(workspace: gateway.workspace, sessionID: id))
                // The log after the state: the gateway records a build's last lines before its end.
                try await reader.printNewLines(of: id, from: gateway)
                let building = session.state == .pending || session.state == .building
                guard follow, building else {
                    if follow, session.state == .buildFailed {
                        throw ClientFailure(ClientExitCode.sessionFailed, "the session is BUILD_FAILED: \(session.stateReason)")
                    }
                    return
                }
                try await Task.sleep(for: Self.followInterval)
            }
        }
    }
}

/// Reads a session's activity log page by page and prints the build log lines it has
/// not printed yet, continuing from the last page it read.
private struct BuildLogReader {
    /// The token of the page read last ("" for the first).
    private var token = ""
    /// How many entries of that page were read.
    private var read = 0

    mutating func printNewLines(of id: String, from gateway: GatewayClient) async throws {
        while true {
            let page = try await gateway.sessions.listSessionEvents(
                V1ListSessionEventsRequest(workspace: gateway.workspace, sessionID: id, pageToken: token))
            for event in page.events.dropFirst(read) where event.type == .buildLog {
                Console.out(event.message)
            }
            guard !page.nextPageToken.isEmpty, page.nextPageToken != token else {
                read = page.events.count
                return
            }
            token = page.nextPageToken
            read = 0
        }
    }
}
