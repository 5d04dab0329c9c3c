import Testing

/// Every test that uses the real cluster is nested here, so that they run one at a
/// time: they share its one node, its one-CPU `tiny` partition, and the controller
/// that the outage test stops for 30 s.
@Suite("Slurm backend on the real cluster", .serialized)
struct SlurmClusterTests {}
