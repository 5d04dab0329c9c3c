import BackendStorage

/// A session's custom environment in its sandbox: a Python virtual environment with
/// the session's packages on top of the system's Python, built once per cache key and
/// shown read-only at ``EnvironmentBuild/path`` in every session that asks for the same packages.
///
/// The launcher builds it before the session's command when the cache lacks it
/// (``EnvironmentBuild/script``) in a sandbox of its own as the
/// sandbox user, with no home, no pip configuration and nothing of the session's
/// environment, writing into a directory of the session's; on success the launcher
/// (with the gateway's rights) moves that directory into the cache and gives it to
/// root, so no session can change what other sessions run. Its output goes to the
/// session's build log, its exit status to a file the provider reads.
struct EnvironmentStage: Hashable, Sendable {
    /// The cached environment's host directory.
    var cacheDirectory: String
    /// The host directory a build writes into before it is published.
    var buildDirectory: String
    /// The build's output.
    var buildLog: String
    /// Exists while the build runs.
    var buildRunningMarker: String
    /// The build's exit status, once it ended.
    var buildExitStatus: String
    /// The packages, valid requirements in canonical order.
    var packages: [String]
    /// The variables of the build (the backend's base environment).
    var buildVariables: [String: String]
    /// Whether the launcher builds the environment when the cache lacks it; without,
    /// the cache entry must exist (commands run in a session's environment never build).
    var buildsWhenMissing = true

    /// The build's variables: the base environment with ``EnvironmentBuild/variables``.
    var sandboxVariables: [String: String] {
        buildVariables.merging(EnvironmentBuild.variables) { _, build in build }
    }
}
