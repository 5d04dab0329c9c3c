/// How a backend makes the provider of one compute environment from its configuration.
///
/// Each backend module exports one (`LocalProvider.factory(logger:)` and so on); the
/// program that assembles a gateway registers the ones it builds in, and the gateway
/// picks the factory by the environment's backend kind. The gateway itself names no
/// backend.
///
/// ```swift
/// let factory = BackendFactory(kind: "example") { context in
///     try ExampleProvider(settings: context.settings)
/// }
/// ```
public struct BackendFactory: Sendable {
    /// What a factory is given to make a provider.
    public struct Context: Sendable {
        /// The compute environment the provider serves.
        public var environment: ComputeEnvironment
        /// The backend's settings from the configuration (`settings:` of the environment).
        public var settings: [String: String]
        /// A directory the gateway gives this environment alone for its files
        /// (sessions, volumes, checkpoints); backends that keep files elsewhere ignore it.
        public var directory: String
        /// Directories sessions must never see (the gateway's own data: tokens, keys,
        /// the store); backends that run sessions on the gateway's machine hide them.
        public var hiddenDirectories: [String]

        /// Creates a context.
        public init(environment: ComputeEnvironment, settings: [String: String], directory: String, hiddenDirectories: [String] = []) {
            self.environment = environment
            self.settings = settings
            self.directory = directory
            self.hiddenDirectories = hiddenDirectories
        }
    }

    /// The backend kind the factory makes providers for, as configured (`local`, `slurm`, ...).
    public var kind: String
    /// Makes the provider; throws a `SessionError` naming the setting that cannot be used.
    public var make: @Sendable (Context) async throws -> any SessionProvider

    /// The entries of a comma-separated setting (such as `fileLinkRoots: "/srv/a, /data"`),
    /// trimmed, without empty ones; none when the setting is absent.
    public static func list(_ setting: String?) -> [String] {
        let blank: (Character) -> Bool = { $0.isWhitespace && !$0.isNewline }
        return (setting ?? "").split(separator: ",")
            .map { String($0.drop(while: blank).reversed().drop(while: blank).reversed()) }
            .filter { !$0.isEmpty }
    }

    /// Creates a factory for `kind`.
    public init(kind: String, make: @escaping @Sendable (Context) async throws -> any SessionProvider) {
        self.kind = kind
        self.make = make
    }
}
