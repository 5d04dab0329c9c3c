import ArgumentParser
import SessionAPI

/// `sessiongw datalink list`: lists the workspace's data-links.
struct DataLinkListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the workspace's data-links, in order of name.")

    @OptionGroup var paging: PagingOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let (links, next) = try await gateway.pages(from: paging.pageToken ?? "", all: paging.all) { token in
                let request = V1ListDataLinksRequest(
                    workspace: gateway.workspace, pageSize: paging.pageSize, pageToken: token)
                let page = try await gateway.dataLinks.listDataLinks(request)
                return (page.dataLinks, page.nextPageToken)
            }
            let response = V1ListDataLinksResponse(dataLinks: links, nextPageToken: next)
            output.print(response) { DataLinkView.table(links).rendered() }
            if output.output == .table, !next.isEmpty {
                Console.error("more data-links: pass --all, or --page-token \(next)")
            }
        }
    }
}
