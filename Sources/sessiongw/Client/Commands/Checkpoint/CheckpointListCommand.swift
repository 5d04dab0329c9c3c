import ArgumentParser
import SessionAPI

/// `sessiongw checkpoint list [SESSION_ID]`: lists checkpoints, newest first.
struct CheckpointListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a session's checkpoints (or the workspace's), newest first.")

    @Argument(help: "The session's id; omit for every session of the workspace.")
    var sessionID: String?

    @OptionGroup var paging: PagingOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let (checkpoints, next) = try await gateway.pages(from: paging.pageToken ?? "", all: paging.all) { token in
                let request = V1ListCheckpointsRequest(
                    workspace: gateway.workspace, sessionID: sessionID ?? "", pageSize: paging.pageSize,
                    pageToken: token)
                let page = try await gateway.checkpoints.listCheckpoints(request)
                return (page.checkpoints, page.nextPageToken)
            }
            let response = V1ListCheckpointsResponse(checkpoints: checkpoints, nextPageToken: next)
            output.print(response) { CheckpointView.table(checkpoints, now: output.now).rendered() }
            if output.output == .table, !next.isEmpty {
                Console.error("more checkpoints: pass --all, or --page-token \(next)")
            }
        }
    }
}
