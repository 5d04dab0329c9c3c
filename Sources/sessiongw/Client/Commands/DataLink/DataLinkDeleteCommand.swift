import ArgumentParser
import SessionAPI

/// `sessiongw datalink delete ID`: deletes a data-link; the data stays.
struct DataLinkDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a data-link; the data it points to is untouched.",
        discussion: "Refused (FAILED_PRECONDITION) while a session that is not deleted mounts it.")

    @Argument(help: "The data-link's id.")
    var id: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1DeleteDataLinkRequest(workspace: gateway.workspace, dataLinkID: id)
            let response = try await gateway.dataLinks.deleteDataLink(request)
            output.print(response) { "data-link \(id) is deleted" }
        }
    }
}
