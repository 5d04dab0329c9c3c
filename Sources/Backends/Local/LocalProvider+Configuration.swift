import BackendStorage
import Foundation
import SessionSDK

extension LocalProvider {
    /// Where the Local backend keeps its files and how long it waits.
    ///
    /// ```swift
    /// var configuration = LocalProvider.Configuration.defaults(dataDirectory: "/var/lib/sessiongw")
    /// configuration.gracePeriod = .seconds(10)
    /// ```
    public struct Configuration: Hashable, Sendable {
        /// The root directory: `sessions/<id>/` (home, state, log), `checkpoints/<id>/`,
        /// `volumes/<name>/` (existing home volumes) and `tmp/`.
        public var rootDirectory: String
        /// The directory that emulates object stores: an `s3://BUCKET/PREFIX` or
        /// `efs://FILESYSTEM/PREFIX` data-link mounts `bucketsDirectory/BUCKET/PREFIX`.
        /// `file://` links mount their real path.
        public var bucketsDirectory: String
        /// How long a paused session's processes get after SIGTERM before SIGKILL.
        public var gracePeriod: Duration
        /// How long a session's command may take to accept connections on
        /// `$SESSION_PORT` before the session is reported FAILED.
        public var readinessTimeout: Duration
        /// How long ``LocalProvider/execute(_:in:)`` lets a command run.
        public var executeTimeout: Duration
        /// The environment every session's command starts with, before the request's
        /// variables and the session's own (`SESSION_PORT`, `SESSION_TOKEN`,
        /// `SESSION_ID`, `HOME`). The gateway's own environment is not passed on.
        public var baseEnvironment: [String: String]
        /// How many lines of the session's log a failure reason quotes.
        public var failureLogLines: Int
        /// Further host directories that sessions must not see, hidden under an empty
        /// read-only tmpfs like the backend's own (the gateway passes its data
        /// directory: the administrator token, the link-ticket key, the store).
        public var hiddenDirectories: [String] = []
        /// The host user id sessions run as when the gateway runs as root: 65534
        /// (`nobody`) by default. A gateway that is not root runs them as its own user.
        /// The user owns the sessions' homes and writable emulated buckets.
        public var sandboxUserID: UInt32 = 65534
        /// The host group id sessions run as when the gateway runs as root: 65534
        /// (`nogroup`) by default.
        public var sandboxGroupID: UInt32 = 65534
        /// The host paths a session sees, read-only, as its system (symbolic links
        /// among them are recreated, missing ones left out). Nothing else of the host
        /// is visible but the session's home and links.
        public var systemPaths: [String] = SandboxArguments.systemPaths
        /// The host directories under which `file://` data-links may point. None by
        /// default: a `file://` link is refused unless an operator lists its root.
        public var fileLinkRoots: [String] = []
        /// The session agent (`sessiongw-agent`) the backend runs as the supervisor of
        /// each session's command when the request carries an agent token: by default
        /// the one beside the running program. Nil runs commands without it (and the
        /// provider lacks the TERMINALS capability).
        public var agentExecutable: String? = SessionAgentLaunch.besideRunningProgram()
        /// Whether new homes are filesystems of their own that grow and shrink online
        /// (setting `growingHomes: true`; a btrfs image per session, see `HomeImage`):
        /// the GROWING_HOME capability, when the gateway is root and btrfs-progs is
        /// installed. Off by default: homes are directories of the data directory's
        /// filesystem, with no size of their own.
        public var growingHomes = false

        /// Creates a configuration.
        public init(
            rootDirectory: String, bucketsDirectory: String, gracePeriod: Duration = .seconds(5),
            readinessTimeout: Duration = .seconds(120), executeTimeout: Duration = .seconds(60),
            baseEnvironment: [String: String] = Self.defaultEnvironment, failureLogLines: Int = 10
        ) {
            self.rootDirectory = rootDirectory
            self.bucketsDirectory = bucketsDirectory
            self.gracePeriod = gracePeriod
            self.readinessTimeout = readinessTimeout
            self.executeTimeout = executeTimeout
            self.baseEnvironment = baseEnvironment
            self.failureLogLines = failureLogLines
        }

        /// The defaults under a data directory: root `DIR/local`, buckets `DIR/buckets`,
        /// 5 s grace period, 120 s readiness timeout.
        public static func defaults(dataDirectory: String) -> Configuration {
            let directory = dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) : dataDirectory
            return Configuration(rootDirectory: "\(directory)/local", bucketsDirectory: "\(directory)/buckets")
        }

        /// `PATH` with the usual system directories and `LANG=C.UTF-8`.
        public static let defaultEnvironment: [String: String] = [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
        ]

        /// The configuration with absolute, normalized directories.
        var normalized: Configuration {
            var copy = self
            copy.rootDirectory = Self.absolute(rootDirectory)
            copy.bucketsDirectory = Self.absolute(bucketsDirectory)
            copy.hiddenDirectories = hiddenDirectories.map(Self.absolute)
            copy.fileLinkRoots = fileLinkRoots.map(Self.absolute)
            return copy
        }

        private static func absolute(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }
}
