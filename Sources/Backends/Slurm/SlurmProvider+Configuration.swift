import BackendStorage
import Foundation
public import SessionSDK

extension SlurmProvider {
    /// How the Slurm backend reaches the cluster and where sessions' files live.
    ///
    /// From a compute environment's `settings:` map (every value is a string):
    ///
    /// ```yaml
    /// computeEnvironments:
    ///   - id: hpc
    ///     backend: slurm
    ///     pools: [interactive, gpu]
    ///     settings:
    ///       url: http://slurm-head:6820          # or unix:/run/slurmrestd/slurmrestd.sock
    ///       user: sessions                       # JWT user (X-SLURM-USER-NAME)
    ///       tokenFile: /etc/sessiongw/slurm.jwt   # JWT (X-SLURM-USER-TOKEN), re-read on each call
    ///       sharedDirectory: /shared/sessiongw    # on the cluster's shared filesystem
    ///       partition: interactive
    ///       pollInterval: 5s
    /// ```
    public struct Configuration: Hashable, Sendable {
        /// slurmrestd: `http://host:port` or `unix:/path`.
        public var url: String
        /// The API version: `v0.0.38` (Slurm 22.05).
        public var apiVersion: String
        /// The user jobs run as, sent with the JWT; nil with `rest_auth/local`.
        public var user: String?
        /// The JWT itself; prefer ``tokenFile``.
        public var token: String?
        /// A file holding the JWT (`SLURM_JWT=...` or the bare token), read on each call.
        public var tokenFile: String?
        /// A directory on the cluster's shared filesystem that this gateway host mounts
        /// at the same path: `sessions/<id>/` (home, state, logs), `checkpoints/<id>/`,
        /// `volumes/<name>/`.
        public var sharedDirectory: String
        /// Where `s3://BUCKET/PREFIX` and `efs://FS/PREFIX` data-links are found on the
        /// cluster (`bucketsDirectory/BUCKET/PREFIX`); `file://` links use their path.
        public var bucketsDirectory: String
        /// The partition for requests that name no compute pool; empty for the
        /// cluster's default.
        public var partition: String
        /// The first part of every job name: jobs are `<prefix>-<session id>`. Give each
        /// gateway sharing a cluster its own.
        public var jobNamePrefix: String
        /// How old the one job listing shared by all sessions may be before a describe
        /// fetches a new one.
        public var pollInterval: Duration
        /// The least time between two calls to slurmrestd.
        public var requestSpacing: Duration
        /// How long one call to slurmrestd may take.
        public var requestTimeout: Duration
        /// How long before the walltime ends a running session's status warns.
        public var walltimeWarning: Duration
        /// How long a running job's command may take to accept connections on
        /// `$SESSION_PORT`, counted from the job's start (queueing does not count). After
        /// that the session is FAILED with the last log lines and the job is cancelled, so
        /// it does not hold compute until its walltime.
        public var readinessTimeout: Duration
        /// How many lines of the job's log a failure reason quotes.
        public var failureLogLines: Int
        /// How long `execute` lets a command run.
        public var executeTimeout: Duration
        /// The environment the batch script starts with; the request's variables are
        /// added from a file only the job's user can read.
        public var baseEnvironment: [String: String]
        /// The host directories under which `file://` data-links may point (setting
        /// `fileLinkRoots`, comma-separated). None by default.
        public var fileLinkRoots: [String] = []
        /// The host user and group ids sessions run as when jobs run as root (settings
        /// `sandboxUserID`, `sandboxGroupID`): 65534 (`nobody`, `nogroup`) by default.
        public var sandboxUserID: UInt32 = 65534
        /// See ``sandboxUserID``.
        public var sandboxGroupID: UInt32 = 65534
        /// The session agent (`sessiongw-agent`) on the compute nodes, run as the
        /// supervisor of each session's command when the request carries an agent
        /// token: by default the one beside the running program, which suits an
        /// installation on a filesystem the nodes share (setting `agentExecutable`;
        /// empty for none). Nil runs commands without it (and the provider lacks the
        /// TERMINALS capability).
        public var agentExecutable: String? = SessionAgentLaunch.besideRunningProgram()

        /// Creates a configuration with the defaults for everything but the url and the
        /// shared directory.
        public init(url: String, sharedDirectory: String) {
            self.url = url
            self.apiVersion = "v0.0.38"
            self.user = nil
            self.token = nil
            self.tokenFile = nil
            self.sharedDirectory = sharedDirectory
            self.bucketsDirectory = sharedDirectory + "/buckets"
            self.partition = ""
            self.jobNamePrefix = "sessiongw"
            self.pollInterval = .seconds(5)
            self.requestSpacing = .milliseconds(50)
            self.requestTimeout = .seconds(10)
            self.walltimeWarning = .seconds(600)
            self.readinessTimeout = .seconds(300)
            self.failureLogLines = 10
            self.executeTimeout = .seconds(60)
            self.baseEnvironment = [
                "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
            ]
        }

        /// Reads a compute environment's `settings:`: `url`, `sharedDirectory`
        /// (required), `apiVersion`, `user`, `token`, `tokenFile`, `bucketsDirectory`,
        /// `partition`, `jobNamePrefix`, `pollInterval`, `requestSpacing`,
        /// `requestTimeout`, `walltimeWarning`, `readinessTimeout`, `executeTimeout`
        /// (durations such as `5s`, `500ms`, `10m`), `failureLogLines`.
        ///
        /// - Throws: `INVALID_ARGUMENT` naming the setting that is missing or wrong.
        public init(settings: [String: String]) throws(SessionError) {
            guard let url = settings["url"], !url.isEmpty else {
                throw SessionError(.invalidArgument, "the Slurm backend needs settings.url: http://HOST:PORT or unix:/PATH of slurmrestd")
            }
            guard let shared = settings["sharedDirectory"], shared.hasPrefix("/") else {
                throw SessionError(
                    .invalidArgument, "the Slurm backend needs settings.sharedDirectory: an absolute path on the cluster's shared filesystem")
            }
            self.init(url: url, sharedDirectory: shared)
            apiVersion = settings["apiVersion"] ?? apiVersion
            user = settings["user"]
            token = settings["token"]
            tokenFile = settings["tokenFile"]
            bucketsDirectory = settings["bucketsDirectory"] ?? bucketsDirectory
            partition = settings["partition"] ?? partition
            jobNamePrefix = settings["jobNamePrefix"] ?? jobNamePrefix
            fileLinkRoots = BackendFactory.list(settings["fileLinkRoots"])
            if let path = settings["agentExecutable"] { agentExecutable = path.isEmpty ? nil : path }
            for (key, keyPath) in [("sandboxUserID", \Configuration.sandboxUserID), ("sandboxGroupID", \Configuration.sandboxGroupID)] {
                guard let text = settings[key] else { continue }
                guard let id = UInt32(text), id > 0 else {
                    throw SessionError(.invalidArgument, "settings.\(key) must be a user or group id above 0, not '\(text.prefix(40))'")
                }
                self[keyPath: keyPath] = id
            }
            if let text = settings["pollInterval"] { pollInterval = try Self.duration(text, setting: "pollInterval") }
            if let text = settings["requestSpacing"] { requestSpacing = try Self.duration(text, setting: "requestSpacing") }
            if let text = settings["requestTimeout"] { requestTimeout = try Self.duration(text, setting: "requestTimeout") }
            if let text = settings["walltimeWarning"] { walltimeWarning = try Self.duration(text, setting: "walltimeWarning") }
            if let text = settings["readinessTimeout"] { readinessTimeout = try Self.duration(text, setting: "readinessTimeout") }
            if let text = settings["executeTimeout"] { executeTimeout = try Self.duration(text, setting: "executeTimeout") }
            if let lines = settings["failureLogLines"] {
                guard let value = Int(lines), value >= 0 else {
                    throw SessionError(.invalidArgument, "settings.failureLogLines must be a whole number, not '\(lines.prefix(50))'")
                }
                failureLogLines = value
            }
            try validate()
        }

        /// Checks the combination of settings.
        ///
        /// - Throws: `INVALID_ARGUMENT` naming the setting.
        public func validate() throws(SessionError) {
            _ = try target()
            _ = try SlurmRESTAdapters.adapter(for: apiVersion)
            if (token != nil || tokenFile != nil) && (user ?? "").isEmpty {
                throw SessionError(.invalidArgument, "settings.user is required with a JWT (token or tokenFile): the user jobs run as")
            }
            guard readinessTimeout > .zero else {
                throw SessionError(.invalidArgument, "settings.readinessTimeout must be longer than 0 s")
            }
            let prefixOK = !jobNamePrefix.isEmpty && jobNamePrefix.utf8.count <= 32
                && jobNamePrefix.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
            guard prefixOK else {
                throw SessionError(.invalidArgument, "settings.jobNamePrefix must be 1 to 32 lower-case letters, digits or '-'")
            }
        }

        /// Where slurmrestd listens.
        func target() throws(SessionError) -> HTTPTransport.Target {
            if url.hasPrefix("unix:") {
                let path = String(url.dropFirst("unix:".count))
                guard path.hasPrefix("/") else {
                    throw SessionError(.invalidArgument, "settings.url '\(url.prefix(200))' must be unix:/ABSOLUTE/PATH")
                }
                return .unixSocket(path: path)
            }
            guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host, !host.isEmpty
            else {
                throw SessionError(
                    .invalidArgument,
                    "settings.url '\(url.prefix(200))' must be http://HOST:PORT or unix:/PATH (slurmrestd serves plain HTTP; put TLS in a proxy)")
            }
            return .tcp(host: host, port: components.port ?? 6820)
        }

        /// The credentials requests carry.
        var credentials: SlurmRESTClient.Credentials {
            if let user, let tokenFile { return .tokenFile(user: user, path: tokenFile) }
            if let user, let token { return .token(user: user, token: token) }
            return .socketPeer
        }

        static func duration(_ text: String, setting: String) throws(SessionError) -> Duration {
            let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
            for (suffix, factor) in units where text.hasSuffix(suffix) {
                if let value = Double(text.dropLast(suffix.count)), value >= 0 {
                    return .milliseconds(Int64(value * factor * 1000))
                }
            }
            throw SessionError(.invalidArgument, "settings.\(setting) must be a duration such as 500ms, 5s or 10m, not '\(text.prefix(50))'")
        }
    }
}
