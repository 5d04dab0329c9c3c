import SessionSDK

/// A session's custom environment in its sandbox: a Python virtual environment with
/// the session's packages on top of the system's Python, built once per cache key and
/// shown read-only at ``path`` in every session that asks for the same packages.
///
/// The launcher builds it before the session's command when the cache lacks it:
/// `python3 -m venv --system-site-packages` and `pip install --only-binary=:all:` (wheels
/// only, so that installing runs no package's code) in a sandbox of its own as the
/// sandbox user, with no home, no pip configuration and nothing of the session's
/// environment, writing into a directory of the session's; on success the launcher
/// (with the gateway's rights) moves that directory into the cache and gives it to
/// root, so no session can change what other sessions run. Its output goes to the
/// session's build log, its exit status to a file the provider reads.
struct EnvironmentStage: Hashable, Sendable {
    /// Where the environment appears inside the sandbox; the same path in the build,
    /// since a virtual environment's scripts name their interpreter by absolute path.
    static let path = "/srv/environment"

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

    /// The variables a session with this environment gets on top of its own: the
    /// environment's programs first on `PATH`, and `VIRTUAL_ENV`.
    static func sessionVariables(_ variables: [String: String]) -> [String: String] {
        var variables = variables
        variables["PATH"] = "\(path)/bin:" + (variables["PATH"] ?? "/usr/bin:/bin")
        variables["VIRTUAL_ENV"] = path
        return variables
    }

    /// The build's own script, run in its sandbox with the packages as `"$@"`.
    static let buildScript = """
        set -e
        printf 'building a Python environment with %s\\n' "$*"
        python3 -m venv --system-site-packages \(path)
        exec \(path)/bin/python -m pip install --no-input --disable-pip-version-check --no-cache-dir \
        --only-binary=:all: --progress-bar off "$@"
        """

    /// The build's variables: the base environment with a private home and no pip
    /// configuration, so that nothing a session left in its home (a `pip.conf` naming
    /// another index) shapes an environment other sessions share.
    var sandboxVariables: [String: String] {
        var variables = buildVariables
        variables["HOME"] = "/tmp"
        variables["PIP_CONFIG_FILE"] = "/dev/null"
        variables["PYTHONNOUSERSITE"] = "1"
        return variables
    }
}
