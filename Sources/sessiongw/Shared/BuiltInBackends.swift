import AWSBatchBackend
import KubernetesBackend
import LocalBackend
import Logging
import SessionSDK
import SlurmBackend

/// The backends built into `sessiongw`: the one place that names them. `serve`,
/// `provider serve` and `conformance` make every environment's provider with these
/// factories (and a remote provider for `backend: remote`).
enum BuiltInBackends {
    /// The factories of the built-in backend kinds: `local`, `slurm`, `awsbatch`, `kubernetes`.
    static func factories(logger: Logger) -> [BackendFactory] {
        [
            LocalProvider.factory(logger: logger),
            SlurmProvider.factory(logger: logger),
            AWSBatchProvider.factory(logger: logger),
            KubernetesProvider.factory(logger: logger),
        ]
    }
}
