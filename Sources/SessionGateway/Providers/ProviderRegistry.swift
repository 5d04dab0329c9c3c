public import SessionSDK

/// The providers behind the gateway's compute environments: one per environment,
/// looked up by the environment's workspace and id.
public struct ProviderRegistry: Sendable {
    private var providers: [String: any SessionProvider]

    /// Creates a registry from providers keyed by `workspace/environment`.
    public init(_ providers: [String: any SessionProvider] = [:]) {
        self.providers = providers
    }

    /// Adds or replaces the provider of an environment.
    public mutating func register(_ provider: any SessionProvider, for environment: ComputeEnvironment) {
        providers[Self.key(environment.workspace, environment.id)] = provider
    }

    /// The provider of an environment.
    ///
    /// - Throws: `NOT_FOUND` naming the environment when none is registered.
    public func provider(for environment: String, in workspace: WorkspaceID) throws(SessionError) -> any SessionProvider {
        guard let provider = providers[Self.key(workspace, environment)] else {
            throw SessionError(.notFound, "compute environment '\(environment)' not found in workspace '\(workspace)'")
        }
        return provider
    }

    /// The provider of every environment (a provider serving several appears once
    /// for each).
    public var all: [any SessionProvider] { Array(providers.values) }

    /// The key of an environment in ``byEnvironment``.
    public static func key(_ workspace: WorkspaceID, _ environment: String) -> String {
        "\(workspace.rawValue)/\(environment)"
    }

    /// Every provider by its environment's ``key(_:_:)``.
    public var byEnvironment: [String: any SessionProvider] { providers }
}
