public import Logging
public import SessionSDK

extension KubernetesProvider {
    /// The factory of `kubernetes` compute environments: the provider configured by the
    /// environment's settings (see Configuration/init(settings:)).
    public static func factory(logger: Logger) -> BackendFactory {
        BackendFactory(kind: "kubernetes") { context in
            try KubernetesProvider(configuration: try Configuration(settings: context.settings), logger: logger)
        }
    }
}
