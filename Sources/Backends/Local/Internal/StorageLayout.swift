import BackendStorage
import SessionSDK

/// Where the Local backend keeps things under its root directory:
///
/// ```
/// ROOT/sessions/<session-id>/state.json   the SessionRecord (pid, port, token, ...)
/// ROOT/sessions/<session-id>/home/        a new session's home, mounted at /workspace
/// ROOT/sessions/<session-id>/session.log  the command's standard output and error
/// ROOT/sessions/<session-id>/pid          written by the launcher: its process id
/// ROOT/sessions/<session-id>/exit-status  written by the launcher when the command ends
/// ROOT/sessions/<session-id>/build.log    the environment build's output
/// ROOT/sessions/<session-id>/build-*      the build's running marker and exit status
/// ROOT/environments/<cache-key>/          built custom environments, root's, read-only to sessions
/// ROOT/environments/.build-<session-id>/  a build in progress, the sandbox user's
/// ROOT/checkpoints/<session-id>/<checkpoint-id>.tar.gz
/// ROOT/volumes/<name>/                    existing home volumes
/// ROOT/tmp/                               scratch files of commands run for sessions
/// ```
struct StorageLayout: Sendable {
    /// The root directory.
    let root: String

    /// All session directories.
    var sessionsDirectory: String { "\(root)/sessions" }
    /// All checkpoint archives.
    var checkpointsDirectory: String { "\(root)/checkpoints" }
    /// Existing home volumes.
    var volumesDirectory: String { "\(root)/volumes" }
    /// Scratch files.
    var scratchDirectory: String { "\(root)/tmp" }
    /// Built custom environments and builds in progress.
    var environmentsDirectory: String { "\(root)/environments" }

    /// The cached environment of a cache key (``EnvironmentCacheKey``).
    func environment(_ key: String) -> String { "\(environmentsDirectory)/\(key)" }

    /// Where a session's environment build writes before it is published.
    func environmentBuild(session id: String) -> String { "\(environmentsDirectory)/.build-\(id)" }

    /// One session's files.
    func session(_ id: String) -> SessionPaths { SessionPaths(directory: "\(sessionsDirectory)/\(id)") }

    /// The archive of a checkpoint.
    func checkpointArchive(session: String, checkpoint: String) -> String {
        "\(checkpointsDirectory)/\(session)/\(checkpoint).tar.gz"
    }

    /// An existing home volume.
    func volume(_ name: String) -> String { "\(volumesDirectory)/\(name)" }

    /// Checks that an identifier can name a file: 1 to 128 letters, digits, `.`, `_`
    /// or `-`, not starting with `.`.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `what`.
    static func validateIdentifier(_ value: String, what: String) throws(SessionError) {
        try StorageIdentifier.validate(value, what: what, backend: "Local")
    }
}

/// The files of one session.
struct SessionPaths: Sendable {
    /// `ROOT/sessions/<id>`.
    let directory: String

    /// The record.
    var state: String { "\(directory)/state.json" }
    /// A new session's home.
    var home: String { "\(directory)/home" }
    /// The command's output.
    var log: String { "\(directory)/session.log" }
    /// The launcher's process id.
    var pid: String { "\(directory)/pid" }
    /// The command's exit status.
    var exitStatus: String { "\(directory)/exit-status" }
    /// The environment build's output.
    var buildLog: String { "\(directory)/build.log" }
    /// Exists while the environment build runs.
    var buildRunning: String { "\(directory)/build-running" }
    /// The environment build's exit status.
    var buildExitStatus: String { "\(directory)/build-exit-status" }
}
