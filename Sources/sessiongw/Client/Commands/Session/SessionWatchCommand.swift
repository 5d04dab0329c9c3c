import ArgumentParser
import RPCTransport
import SessionAPI

/// `sessiongw session watch`: prints session events as they happen until interrupted.
struct SessionWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print the sessions' current state, then every change, until Ctrl-C.",
        discussion: """
            Each event is one line: ADDED for each session of the current state, then SNAPSHOT_END, then \
            ADDED, MODIFIED and DELETED as sessions change. With --output json each event is one JSON object \
            per line: {"type": ..., "session": {...}, "revision": N}. Pass --since REVISION (the revision of \
            the last event seen, or of 'session list --output json') to receive only the changes after it.
            """)

    @Argument(help: "Only events of this session id.")
    var id: String?

    @Option(help: ArgumentHelp("Only the changes after this revision; 0 for the current state first.",
                               valueName: "revision"))
    var since: Int64 = 0

    @OptionGroup var filter: SessionFilterOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard since >= 0 else { throw ValidationError("--since must not be negative") }
    }

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1WatchSessionsRequest(
                workspace: gateway.workspace, filter: try filter.filter(), sinceRevision: since)
            if output.output == .table { Console.out(WatchView.header) }
            try await gateway.sessions.watchSessions(request) { events in
                for try await event in events {
                    if let id, event.type != .snapshotEnd, event.session?.id != id { continue }
                    switch output.output {
                    case .json: Console.out(event.jsonValue(options: OutputOptions.json).rendered(pretty: false))
                    case .table: Console.out(WatchView.line(event))
                    }
                }
            }
            throw ClientFailure(ClientExitCode.unavailable, "the gateway ended the watch")
        }
    }
}
