import ArgumentParser

/// `sessiongw provider`: runs a backend as an out-of-process provider plugin.
struct ProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provider",
        abstract: "Serve a backend over provider.proto, as an out-of-process plugin.",
        subcommands: [ProviderServe.self])
}
