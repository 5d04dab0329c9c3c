import ArgumentParser
import SessionAPI

/// `sessiongw checkpoint rename ID NEW_NAME`: renames a checkpoint.
struct CheckpointRenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Rename a checkpoint; spaces become underscores.",
        discussion: "Refused (ALREADY_EXISTS) when another checkpoint of the same session has that name.")

    @Argument(help: "The checkpoint's id.")
    var id: String

    @Argument(help: "The new name, unique among the session's checkpoints.")
    var newName: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1RenameCheckpointRequest(workspace: gateway.workspace, checkpointID: id, newName: newName)
            let checkpoint = try await gateway.checkpoints.renameCheckpoint(request)
            output.print(checkpoint) { CheckpointView.table([checkpoint], now: output.now).rendered() }
        }
    }
}
