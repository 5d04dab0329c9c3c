import ArgumentParser
import SessionAPI

/// `sessiongw datalink create LOCATION`: creates a data-link.
struct DataLinkCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a data-link to a bucket, a subdirectory of one, or a path.",
        discussion: "Example: sessiongw datalink create s3://biopharmax/experiments/a --name experiment-a")

    @Argument(help: "Where the data is: s3://bucket[/prefix], efs://fs-id[/prefix] or file:///absolute/path.")
    var location: String

    @Option(help: ArgumentHelp(
        "The name, normalized to a lower-case directory name. Default: derived from the bucket and path.",
        valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("What the data is for.", valueName: "text"))
    var description: String?

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1CreateDataLinkRequest(
                workspace: gateway.workspace, name: name ?? "", location: location, description: description ?? "")
            let link = try await gateway.dataLinks.createDataLink(request)
            output.print(link) { DataLinkView.table([link]).rendered() }
        }
    }
}
