public import Logging
public import SessionSDK

extension AWSBatchProvider {
    /// The factory of `awsbatch` compute environments: the provider configured by the
    /// environment's settings (see Configuration/init(settings:)).
    public static func factory(logger: Logger) -> BackendFactory {
        BackendFactory(kind: "awsbatch") { context in
            try AWSBatchProvider(configuration: try Configuration(settings: context.settings), logger: logger)
        }
    }
}
