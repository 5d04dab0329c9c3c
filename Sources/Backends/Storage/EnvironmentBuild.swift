internal import Foundation

/// How backends build a session's custom environment (``SessionSDK/ProviderCapability/environmentBuilds``):
/// a Python virtual environment on top of the image's Python, with the session's
/// packages installed from the package index as wheels only, so that installing runs
/// no package's code, at the same path in the build as in the session (a virtual
/// environment's scripts name their interpreter by absolute path).
package enum EnvironmentBuild {
    /// Where the environment is built and where sessions see it, read-only.
    package static let path = "/srv/environment"

    /// The build's script, run by `sh -c` with the packages as `"$@"`: it empties the
    /// directory (what a failed earlier build left), makes the virtual environment and
    /// installs the packages, printing what it does.
    package static let script = """
        set -e
        printf 'building a Python environment with %s\\n' "$*"
        find \(path) -mindepth 1 -delete
        python3 -m venv --system-site-packages \(path)
        exec \(path)/bin/python -m pip install --no-input --disable-pip-version-check --no-cache-dir \
        --only-binary=:all: --progress-bar off "$@"
        """

    /// The build's variables beyond `PATH`: a private home and no pip configuration or
    /// user site, so that nothing a session left in its home (a `pip.conf` naming
    /// another index) shapes an environment other sessions share.
    package static let variables = ["HOME": "/tmp", "PIP_CONFIG_FILE": "/dev/null", "PYTHONNOUSERSITE": "1"]

    /// The variables a session with an environment gets on top of `variables`: the
    /// environment's programs first on `PATH` (after `/usr/bin:/bin` when there is
    /// none), and `VIRTUAL_ENV`.
    package static func sessionVariables(_ variables: [String: String]) -> [String: String] {
        var variables = variables
        variables["PATH"] = "\(path)/bin:" + (variables["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        variables["VIRTUAL_ENV"] = path
        return variables
    }

    /// Why a build failed, from its log: the package pip found no distribution for,
    /// else pip's last error line, else the exit status.
    package static func failureReason(log: String, exitStatus: Int32?) -> String {
        let lines = log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = "No matching distribution found for "
        if let line = lines.last(where: { $0.contains(missing) }), let range = line.range(of: missing) {
            let package = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            return "the environment could not be built: package '\(package.prefix(200))' was not found on the package index "
                + "(or has no wheel for this system); see the build log"
        }
        if let line = lines.last(where: { $0.hasPrefix("ERROR:") }) {
            return "the environment could not be built: \(line.prefix(400)); see the build log"
        }
        guard let exitStatus else { return "the environment build failed; see the build log" }
        return "the environment build exited with code \(exitStatus); see the build log"
    }
}
