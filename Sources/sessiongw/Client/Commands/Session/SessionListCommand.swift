import ArgumentParser
import SessionAPI

/// `sessiongw session list`: lists sessions, a page or all of them.
struct SessionListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the sessions of the workspace, in order of creation.",
        discussion: "Example: sessiongw session list --state running --label team=ml --all")

    @OptionGroup var filter: SessionFilterOptions
    @OptionGroup var paging: PagingOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let filter = try filter.filter()
            var revision: Int64 = 0
            let (sessions, next) = try await gateway.pages(from: paging.pageToken ?? "", all: paging.all) { token in
                let request = V1ListSessionsRequest(
                    workspace: gateway.workspace, filter: filter, pageSize: paging.pageSize, pageToken: token)
                let page = try await gateway.sessions.listSessions(request)
                if revision == 0 { revision = page.revision }
                return (page.sessions, page.nextPageToken)
            }
            let response = V1ListSessionsResponse(sessions: sessions, nextPageToken: next, revision: revision)
            output.print(response) { SessionView.table(sessions, now: output.now).rendered() }
            if output.output == .table, !next.isEmpty {
                Console.error("more sessions: pass --all, or --page-token \(next)")
            }
        }
    }
}
