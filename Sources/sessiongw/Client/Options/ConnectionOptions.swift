import ArgumentParser

/// Where the gateway is and who is calling: shared by every client command.
///
/// Each setting comes from the first of: the flag, the environment
/// (`SESSIONGW_ADDRESS`, `SESSIONGW_TOKEN`, `SESSIONGW_WORKSPACE`, `SESSIONGW_CA_FILE`),
/// the client config file (`--config`, `SESSIONGW_CONFIG`, else
/// `$XDG_CONFIG_HOME/sessiongw/client.yaml` or `~/.config/sessiongw/client.yaml`), the
/// default. See ``ClientSettings``.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The gateway: HOST:PORT, unix:PATH or https://HOST:PORT. Default 127.0.0.1:50051; env SESSIONGW_ADDRESS.",
        valueName: "address"))
    var address: String?

    @Option(help: ArgumentHelp(
        "The bearer token (the gateway's admin token). Env SESSIONGW_TOKEN; or token/tokenFile in the config file.",
        valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("The workspace. Default 'default'; env SESSIONGW_WORKSPACE.", valueName: "workspace"))
    var workspace: String?

    @Option(help: ArgumentHelp(
        "PEM file of trust roots for a TLS gateway; implies TLS. Env SESSIONGW_CA_FILE.", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp(
        "Client config file (YAML: address, token, tokenFile, workspace, caFile). Default ~/.config/sessiongw/client.yaml.",
        valueName: "file"))
    var config: String?

    /// The settings given as flags.
    var flags: ClientSettings.Layer {
        ClientSettings.Layer(address: address, token: token, workspace: workspace, caFile: caFile)
    }
}
