public import SessionSDK
import Foundation

extension AWSBatchProvider {
    /// What an AWS Batch compute environment needs: where the APIs are, which queue
    /// runs sessions, which EFS file system holds homes, where checkpoints go.
    ///
    /// From the gateway's YAML, a compute environment's `settings:` map (all values are
    /// strings):
    ///
    /// ```yaml
    /// computeEnvironments:
    ///   - id: aws
    ///     backend: awsbatch
    ///     pools: [sessions, gpu-sessions]
    ///     settings:
    ///       region: eu-west-1
    ///       jobQueue: sessions
    ///       fileSystemId: fs-0123456789abcdef0
    ///       homeMountPath: /workspace
    ///       workDirectory: /mnt/efs/work
    ///       checkpointBucket: my-session-checkpoints
    /// ```
    public struct Configuration: Sendable {
        /// The region, such as `eu-west-1` (setting `region`; else `AWS_REGION`,
        /// `AWS_DEFAULT_REGION` or the profile's `region`).
        public var region: String
        /// One endpoint for every service (setting `endpoint`), such as a moto server
        /// `http://127.0.0.1:5123` or a private gateway; nil for AWS's own. Path-style
        /// S3 addressing is used with it.
        public var endpoint: String?
        /// Per-service endpoints (settings `batchEndpoint`, `efsEndpoint`, `s3Endpoint`,
        /// `logsEndpoint`, `secretsManagerEndpoint`), overriding ``endpoint``.
        public var serviceEndpoints: [String: String]
        /// Where credentials come from (setting `profile` picks a profile of the shared files).
        public var credentials: CredentialChain.Source
        /// The IMDSv2 endpoint. Default `http://169.254.169.254`.
        public var metadataEndpoint: String
        /// The job queue sessions run on when the request names no pool (setting
        /// `jobQueue`). A request's compute pool is the name of a job queue.
        public var jobQueue: String
        /// The EFS file system of the homes (setting `fileSystemId`).
        public var fileSystemID: String
        /// Where the home is mounted in the session (setting `homeMountPath`); required,
        /// never defaulted, and never the compute environment's work directory.
        public var homeMountPath: String
        /// The compute environment's work directory (setting `workDirectory`), if any.
        public var workDirectory: String?
        /// The POSIX user and group of the access points (settings `posixUID`, `posixGID`). Default 1000.
        public var posixUID: Int
        /// See ``posixUID``.
        public var posixGID: Int
        /// The bucket checkpoints go to (setting `checkpointBucket`).
        public var checkpointBucket: String
        /// The key prefix of everything the backend puts in the bucket (setting
        /// `checkpointPrefix`). Default `sessiongw`.
        public var checkpointPrefix: String
        /// The port the session serves on (setting `sessionPort`). Default 8888; 0 makes
        /// the session pick a free port when it starts (for hosts where jobs share one
        /// network, such as the moto test harness).
        public var sessionPort: Int
        /// Where the session agent (`sessiongw-agent`) is in the sessions' images (setting
        /// `agentPath`): the job runs it as the supervisor of the command when the
        /// request carries an agent token. Images get it by copying the one static
        /// executable in (`COPY --from=<agent image> /usr/local/bin/sessiongw-agent ...`).
        /// Nil (the default): sessions run without the agent, and the provider lacks the
        /// TERMINALS capability.
        public var agentPath: String?
        /// The port the agent listens on (setting `agentPort`). Default 7001; 0 makes the
        /// job pick a free port, as for ``sessionPort``.
        public var agentPort: Int
        /// The address the session announces (setting `advertiseHost`); by default the
        /// container's own (`hostname -i`).
        public var advertiseHost: String?
        /// The mark on every job, access point and object the backend makes (setting
        /// `owner`). Default `sessiongw`. Two gateways sharing an account need different ones.
        public var owner: String
        /// The execution role of session jobs (setting `executionRoleArn`), passed as the
        /// job definition's `containerProperties.executionRoleArn`: Batch reads the
        /// session's secret variables from Secrets Manager with it
        /// (`secretsmanager:GetSecretValue` on `<owner>/sessions/*`). Needed on AWS by
        /// sessions with secret variables; nil: none.
        public var executionRoleArn: String?
        /// How long a job may stay RUNNABLE (for want of capacity) before the session
        /// gives up and fails (setting `runnableTimeoutSeconds`). Default 600 s.
        public var runnableTimeout: Duration
        /// The most vCPUs one session may ask for (setting `maxVCPUs`). Default 96.
        public var maxVCPUs: Int
        /// The most memory one session may ask for, in MiB (setting `maxMemoryMiB`). Default 786432.
        public var maxMemoryMiB: Int
        /// How long one API request may take (setting `requestTimeoutSeconds`). Default 30 s.
        public var requestTimeout: Duration
        /// How long an execute or checkpoint job may take (setting `helperJobTimeoutSeconds`). Default 300 s.
        public var helperJobTimeout: Duration
        /// Between two looks at a helper job. Default 100 ms.
        public var pollInterval: Duration
        /// Retry rules.
        public var retry: RetryPolicy

        /// Creates a configuration; check it with ``validate()``.
        public init(
            region: String, jobQueue: String, fileSystemID: String, homeMountPath: String, checkpointBucket: String,
            endpoint: String? = nil, credentials: CredentialChain.Source = .chain(profile: nil)
        ) {
            self.region = region
            self.endpoint = endpoint
            self.serviceEndpoints = [:]
            self.credentials = credentials
            self.metadataEndpoint = "http://169.254.169.254"
            self.jobQueue = jobQueue
            self.fileSystemID = fileSystemID
            self.homeMountPath = homeMountPath
            self.workDirectory = nil
            self.posixUID = 1000
            self.posixGID = 1000
            self.checkpointBucket = checkpointBucket
            self.checkpointPrefix = "sessiongw"
            self.sessionPort = 8888
            self.advertiseHost = nil
            self.agentPath = nil
            self.agentPort = 7001
            self.owner = "sessiongw"
            self.executionRoleArn = nil
            self.runnableTimeout = .seconds(600)
            self.maxVCPUs = 96
            self.maxMemoryMiB = 786_432
            self.requestTimeout = .seconds(30)
            self.helperJobTimeout = .seconds(300)
            self.pollInterval = .milliseconds(100)
            self.retry = RetryPolicy()
        }

        /// Reads the `settings:` map of a compute environment, with the process's
        /// environment for the region's fallbacks.
        ///
        /// - Throws: `INVALID_ARGUMENT` naming the setting that is missing or wrong.
        public init(settings: [String: String]) throws(SessionError) {
            try self.init(settings: settings, environment: ProcessInfo.processInfo.environment)
        }

        /// Reads the `settings:` map of a compute environment.
        ///
        /// - Throws: `INVALID_ARGUMENT` naming the setting that is missing or wrong.
        public init(settings: [String: String], environment: [String: String]) throws(SessionError) {
            func required(_ key: String) throws(SessionError) -> String {
                guard let value = settings[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                    throw SessionError(.invalidArgument, "the awsbatch setting '\(key)' is required")
                }
                return value
            }
            func integer(_ key: String, _ fallback: Int) throws(SessionError) -> Int {
                guard let text = settings[key] else { return fallback }
                guard let value = Int(text), value >= 0 else {
                    throw SessionError(.invalidArgument, "the awsbatch setting '\(key)' must be a whole number ≥ 0, not '\(text)'")
                }
                return value
            }
            let profile = settings["profile"]
            let region = settings["region"] ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]
                ?? CredentialChain.regionFromConfig(profile: profile ?? environment["AWS_PROFILE"] ?? "default", environment: environment)
            guard let region, !region.isEmpty else {
                throw SessionError(.invalidArgument, "the awsbatch setting 'region' is required (or set AWS_REGION)")
            }
            guard let homeMountPath = settings["homeMountPath"], !homeMountPath.isEmpty else {
                throw SessionError(
                    .invalidArgument,
                    "the awsbatch setting 'homeMountPath' is required: give the path where the EFS home is mounted (such as /workspace) explicitly; it must not be the compute environment's work directory")
            }
            self.init(
                region: region, jobQueue: try required("jobQueue"), fileSystemID: try required("fileSystemId"),
                homeMountPath: homeMountPath, checkpointBucket: try required("checkpointBucket"), endpoint: settings["endpoint"],
                credentials: .chain(profile: profile))
            for (key, service) in [("batchEndpoint", "batch"), ("efsEndpoint", "efs"), ("s3Endpoint", "s3"), ("logsEndpoint", "logs"), ("secretsManagerEndpoint", "secretsmanager")] {
                if let value = settings[key] { serviceEndpoints[service] = value }
            }
            if let value = settings["metadataEndpoint"] { metadataEndpoint = value }
            workDirectory = settings["workDirectory"]
            posixUID = try integer("posixUID", posixUID)
            posixGID = try integer("posixGID", posixGID)
            if let value = settings["checkpointPrefix"] { checkpointPrefix = value }
            sessionPort = try integer("sessionPort", sessionPort)
            advertiseHost = settings["advertiseHost"]
            if let value = settings["agentPath"] { agentPath = value.isEmpty ? nil : value }
            agentPort = try integer("agentPort", agentPort)
            if let value = settings["owner"] { owner = value }
            if let value = settings["executionRoleArn"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { executionRoleArn = value }
            runnableTimeout = .seconds(try integer("runnableTimeoutSeconds", 600))
            maxVCPUs = try integer("maxVCPUs", maxVCPUs)
            maxMemoryMiB = try integer("maxMemoryMiB", maxMemoryMiB)
            requestTimeout = .seconds(try integer("requestTimeoutSeconds", 30))
            helperJobTimeout = .seconds(try integer("helperJobTimeoutSeconds", 300))
            retry.maxAttempts = max(1, try integer("maxAttempts", retry.maxAttempts))
            try validate()
        }

        /// Checks the seed's EFS rules and the values' shapes.
        ///
        /// - Throws: `INVALID_ARGUMENT` with what to change.
        public func validate() throws(SessionError) {
            let home = Self.normalized(homeMountPath)
            guard homeMountPath.hasPrefix("/"), home != "/", !homeMountPath.contains("..") else {
                throw SessionError(.invalidArgument, "homeMountPath '\(homeMountPath)' must be an absolute path below / without '..'")
            }
            if let workDirectory, !workDirectory.isEmpty {
                let work = Self.normalized(workDirectory)
                if home == work {
                    throw SessionError(
                        .invalidArgument,
                        "homeMountPath '\(homeMountPath)' is the compute environment's work directory; checkpoints could not be saved: mount the EFS home elsewhere (such as /workspace)")
                }
                if work.hasPrefix(home + "/") || home.hasPrefix(work + "/") {
                    throw SessionError(
                        .invalidArgument,
                        "homeMountPath '\(homeMountPath)' and the work directory '\(workDirectory)' contain one another; give them separate paths")
                }
            }
            guard fileSystemID.hasPrefix("fs-") else {
                throw SessionError(.invalidArgument, "fileSystemId '\(fileSystemID)' is not an EFS file system id (fs-...)")
            }
            guard owner.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !owner.isEmpty, owner.count <= 32 else {
                throw SessionError(.invalidArgument, "owner '\(owner)' must be 1–32 letters, digits or '-'")
            }
            if let executionRoleArn, !executionRoleArn.hasPrefix("arn:") || executionRoleArn.contains(where: \.isWhitespace) {
                throw SessionError(.invalidArgument, "executionRoleArn '\(executionRoleArn.prefix(200))' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
            }
            guard (0...65535).contains(sessionPort) else {
                throw SessionError(.invalidArgument, "sessionPort \(sessionPort) is not a TCP port")
            }
            guard (0...65535).contains(agentPort), agentPort == 0 || agentPort != sessionPort else {
                throw SessionError(.invalidArgument, "agentPort \(agentPort) is not a TCP port other than sessionPort")
            }
            if let agentPath, !agentPath.hasPrefix("/") {
                throw SessionError(.invalidArgument, "agentPath '\(agentPath.prefix(200))' must be an absolute path in the sessions' images")
            }
        }

        private static func normalized(_ path: String) -> String {
            "/" + path.split(separator: "/").joined(separator: "/")
        }
    }
}
