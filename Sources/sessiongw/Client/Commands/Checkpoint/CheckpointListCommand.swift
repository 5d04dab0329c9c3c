import ArgumentParser
import SessionAPI

/// `sessiongw checkpoint list [SESSION_ID]`: lists checkpoints, newest first, then the
/// history a session added as new inherits.
struct CheckpointListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a session's checkpoints (or the workspace's), newest first.",
        discussion: """
            A session added as new from a checkpoint of another also lists the history it inherits: that \
            checkpoint and the earlier ones of its session, and so on up the sessions each was added from.
            """)

    @Argument(help: "The session's id; omit for every session of the workspace.")
    var sessionID: String?

    @OptionGroup var paging: PagingOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            var inherited: [V1Checkpoint] = []
            let (checkpoints, next) = try await gateway.pages(from: paging.pageToken ?? "", all: paging.all) { token in
                let request = V1ListCheckpointsRequest(
                    workspace: gateway.workspace, sessionID: sessionID ?? "", pageSize: paging.pageSize,
                    pageToken: token)
                let page = try await gateway.checkpoints.listCheckpoints(request)
                if token.isEmpty { inherited = page.inherited }
                return (page.checkpoints, page.nextPageToken)
            }
            let response = V1ListCheckpointsResponse(checkpoints: checkpoints, nextPageToken: next, inherited: inherited)
            output.print(response) {
                var text = CheckpointView.table(checkpoints, now: output.now).rendered()
                if !inherited.isEmpty {
                    text += "\nInherited from the sessions it was added as new from:\n"
                        + CheckpointView.table(inherited, now: output.now).rendered()
                }
                return text
            }
            if output.output == .table, !next.isEmpty {
                Console.error("more checkpoints: pass --all, or --page-token \(next)")
            }
        }
    }
}
