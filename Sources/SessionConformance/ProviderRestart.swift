public import SessionSDK

/// How the suite gets a new instance of the provider under test, as after a restart of
/// the gateway or the plugin, to check that it recovers sessions from their handles.
///
/// The new instance must use the same backend state (the same root directory, cluster,
/// account) as the one under test. The suite releases it at the end of the case.
///
/// ```swift
/// configuration.restart = ProviderRestart {
///     LocalProvider(configuration: localConfiguration, logger: logger)
/// }
/// ```
public struct ProviderRestart: Sendable {
    /// Makes the new instance.
    public var makeProvider: @Sendable () async throws -> any SessionProvider
    /// Releases an instance made by ``makeProvider`` (for example closes its
    /// connection); by default does nothing.
    public var releaseProvider: @Sendable (any SessionProvider) async -> Void

    /// Creates a restart factory.
    public init(
        releaseProvider: @escaping @Sendable (any SessionProvider) async -> Void = { _ in },
        makeProvider: @escaping @Sendable () async throws -> any SessionProvider
    ) {
        self.makeProvider = makeProvider
        self.releaseProvider = releaseProvider
    }
}
