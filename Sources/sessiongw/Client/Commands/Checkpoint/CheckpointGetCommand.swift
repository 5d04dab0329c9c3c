import ArgumentParser
import SessionAPI

/// `sessiongw checkpoint get ID`: shows one checkpoint.
struct CheckpointGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a checkpoint.")

    @Argument(help: "The checkpoint's id.")
    var id: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let request = V1GetCheckpointRequest(workspace: gateway.workspace, checkpointID: id)
            let checkpoint = try await gateway.checkpoints.getCheckpoint(request)
            output.print(checkpoint) { CheckpointView.table([checkpoint], now: output.now).rendered() }
        }
    }
}
