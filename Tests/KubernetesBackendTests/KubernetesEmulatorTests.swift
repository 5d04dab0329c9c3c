import Testing

/// Every test that runs against the API emulator, one at a time: the outage fault and
/// the history compaction affect the whole emulator, not only the test's namespace.
@Suite("Kubernetes backend on the API emulator", .serialized)
struct KubernetesEmulatorTests {}
