public import Logging
public import SessionSDK

extension SlurmProvider {
    /// The factory of `slurm` compute environments: the provider configured by the
    /// environment's settings (see Configuration/init(settings:)).
    public static func factory(logger: Logger) -> BackendFactory {
        BackendFactory(kind: "slurm") { context in
            try SlurmProvider(configuration: try Configuration(settings: context.settings), logger: logger)
        }
    }
}
