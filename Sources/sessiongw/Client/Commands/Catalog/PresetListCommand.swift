import ArgumentParser
import SessionAPI

/// `sessiongw preset list`: lists every preset.
struct PresetListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the presets: IDE, images and pod sizes.",
        discussion: "IMAGES marks the recommended image and POD SIZES the default size with '*'.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ClientInvocation.run(connection) { gateway in
            let presets = try await CatalogLookup(gateway: gateway).presets()
            output.print(V1ListPresetsResponse(presets: presets)) { PresetView.table(presets).rendered() }
        }
    }
}
