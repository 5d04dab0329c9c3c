/// The settings a client command connects with, merged from flags, the environment and
/// the config file: for each setting the first layer that gives it wins.
///
/// ```swift
/// let settings = ClientSettings.merging(
///     flags: options.flags, environment: .init(environment: ProcessInfo.processInfo.environment),
///     file: file?.layer)
/// ```
struct ClientSettings: Sendable, Equatable {
    /// The settings one source gives; nil for a setting it does not give.
    struct Layer: Sendable, Equatable {
        /// The gateway's address.
        var address: String?
        /// The bearer token.
        var token: String?
        /// The workspace.
        var workspace: String?
        /// The PEM trust roots for TLS.
        var caFile: String?
        /// Where the token came from, for messages: `--token`, `SESSIONGW_TOKEN`, a file.
        var tokenOrigin: String?

        /// Creates a layer.
        init(address: String? = nil, token: String? = nil, workspace: String? = nil, caFile: String? = nil,
             tokenOrigin: String? = nil) {
            self.address = address
            self.token = token
            self.workspace = workspace
            self.caFile = caFile
            self.tokenOrigin = tokenOrigin ?? (token == nil ? nil : "--token")
        }

        /// The layer of the environment variables `SESSIONGW_ADDRESS`, `SESSIONGW_TOKEN`,
        /// `SESSIONGW_WORKSPACE` and `SESSIONGW_CA_FILE`; empty values count as unset.
        init(environment: [String: String]) {
            func value(_ name: String) -> String? {
                environment[name].flatMap { $0.isEmpty ? nil : $0 }
            }
            self.init(
                address: value("SESSIONGW_ADDRESS"), token: value("SESSIONGW_TOKEN"),
                workspace: value("SESSIONGW_WORKSPACE"), caFile: value("SESSIONGW_CA_FILE"),
                tokenOrigin: "SESSIONGW_TOKEN")
        }
    }

    /// The address used when no layer gives one.
    static let defaultAddress = "127.0.0.1:50051"
    /// The workspace used when no layer gives one.
    static let defaultWorkspace = "default"

    /// The gateway's address: `HOST:PORT`, `unix:PATH` or `https://HOST:PORT`.
    var address: String
    /// The bearer token; nil when no layer gives one.
    var token: String?
    /// Where the token came from; nil without a token.
    var tokenOrigin: String?
    /// The workspace of every request.
    var workspace: String
    /// PEM trust roots for TLS; nil for cleartext, or for the system roots with `https://`.
    var caFile: String?

    /// Merges the layers: flags over the environment over the file over the defaults.
    static func merging(flags: Layer, environment: Layer, file: Layer?) -> ClientSettings {
        let layers = [flags, environment, file ?? Layer()]
        let tokenLayer = layers.first { $0.token != nil }
        return ClientSettings(
            address: layers.lazy.compactMap(\.address).first ?? defaultAddress,
            token: tokenLayer?.token,
            tokenOrigin: tokenLayer?.tokenOrigin,
            workspace: layers.lazy.compactMap(\.workspace).first ?? defaultWorkspace,
            caFile: layers.lazy.compactMap(\.caFile).first)
    }

    /// Where the config file is: `--config`, else `SESSIONGW_CONFIG`, else
    /// `$XDG_CONFIG_HOME/sessiongw/client.yaml`, else `$HOME/.config/sessiongw/client.yaml`.
    ///
    /// - Returns: the path, and whether it was named explicitly (a missing file is then
    ///   an error; a missing default file is not). Nil without any of these.
    static func configPath(flag: String?, environment: [String: String]) -> (path: String, explicit: Bool)? {
        if let flag { return (flag, true) }
        if let path = environment["SESSIONGW_CONFIG"], !path.isEmpty { return (path, true) }
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty { return (base + "/sessiongw/client.yaml", false) }
        if let home = environment["HOME"], !home.isEmpty { return (home + "/.config/sessiongw/client.yaml", false) }
        return nil
    }
}
