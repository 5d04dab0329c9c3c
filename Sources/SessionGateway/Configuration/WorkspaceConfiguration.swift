public import SessionSDK

/// A configuration an administrator defines for a workspace's sessions: environment
/// variables (plain, or references to the workspace's secrets) and a script that runs in
/// the session before its IDE starts. A user turns it on (`SessionSpec.configurations`)
/// or, when it is on by default, off (`excludedConfigurations`) when creating a session.
///
/// ```yaml
/// configurations:
///   - name: corporate-proxy
///     workspace: lab            # default: the default workspace
///     description: The lab's HTTP proxy and package index
///     defaultOn: true
///     env:
///       - {name: HTTPS_PROXY, value: "http://proxy.lab:3128"}
///       - {name: PIP_INDEX_URL, secret: pip-index-url}
///     initScript: |
///       git config --global http.proxy "$HTTPS_PROXY"
/// ```
public struct WorkspaceConfiguration: Hashable, Sendable {
    /// The workspace it is offered in.
    public var workspace: WorkspaceID
    /// Its name, unique in the workspace.
    public var name: String
    /// What it is for, for people.
    public var description: String
    /// Whether sessions get it unless they leave it out.
    public var defaultOn: Bool
    /// The variables it sets.
    public var environment: [SessionSpec.EnvironmentVariable]
    /// The `sh` script it runs in the session before the IDE starts; empty for none.
    public var initScript: String

    /// Creates a configuration.
    public init(
        workspace: WorkspaceID, name: String, description: String = "", defaultOn: Bool = false,
        environment: [SessionSpec.EnvironmentVariable] = [], initScript: String = ""
    ) {
        self.workspace = workspace
        self.name = name
        self.description = description
        self.defaultOn = defaultOn
        self.environment = environment
        self.initScript = initScript
    }
}
