import AsyncHTTPClient
public import Logging
import NIOHTTP1
public import SessionSDK
import Synchronization

/// Sessions as AWS Batch jobs with their homes on EFS and checkpoints in S3.
///
/// A session is a job on the compute pool's job queue (the configured queue when the
/// request names none), from a job definition registered per IDE kind and size
/// (a revision is reused when nothing changed), with `retryStrategy.attempts = 1`, the
/// session's duration limit as its timeout, and its home on an EFS access point of its
/// own (POSIX user, root directory `/sessions/<id>`, transit encryption) mounted at
/// ``Configuration/homeMountPath``. EFS data-links are further EFS volumes at
/// `/workspace/data/<name>`, read-only when the link is; S3 data-links are described
/// to the session's mount helper in `SESSIONGW_S3_DATALINKS` (JSON: name, bucket,
/// prefix, readOnly, mountPath).
///
/// Batch has no stopped state and no client token for SubmitJob, so the backend
/// supplies both: pausing terminates the job with the reason
/// ``JobObservation/pauseReason``, which Batch keeps on the job, and every job's name
/// carries the session id and attempt (``SessionNames``), looked up with ListJobs
/// before any submit, so a retried create or resume never starts a second job.
///
/// The session announces its address on its log stream (`sessiongw-endpoint HOST
/// PORT`, see ``JobScripts``); it is RUNNING once that address accepts connections.
/// Commands run inside a session (``execute(_:in:)``) and checkpoints are short Batch
/// jobs with the same volumes that hand their results to S3 through presigned URLs.
///
/// Secret variables (the request's ``ProviderSessionRequest/secretNames``) never travel
/// in a request Batch keeps: their values are stored in one AWS Secrets Manager secret
/// per session (`<owner>/sessions/<id>/variables`, a JSON object), put again on every
/// start and resume, and the session's job definition names them in
/// `containerProperties.secrets` (`valueFrom: <secret ARN>:<name>::`), which Batch
/// resolves with the job's execution role when the container starts.
///
/// ```swift
/// let configuration = try AWSBatchProvider.Configuration(settings: [
///     "region": "eu-west-1", "jobQueue": "sessions", "fileSystemId": "fs-0123",
///     "homeMountPath": "/workspace", "checkpointBucket": "checkpoints",
/// ])
/// let provider = try AWSBatchProvider(configuration: configuration, logger: logger)
/// ```
public final class AWSBatchProvider: SessionProvider {
    /// `awsbatch` and the backend's version.
    public let identity = ProviderIdentity(name: "awsbatch", version: "1.0.0")

    /// Pause and resume, checkpoints, clones, data-links, GPUs, existing access points
    /// as homes, execute; when the images hold the agent (``Configuration/agentPath``),
    /// terminals and elastic homes (EFS gives an access point no size, so the agent
    /// measures what the home holds and the gateway enforces the disk limit from that).
    public var capabilities: Set<ProviderCapability> {
        let base: Set<ProviderCapability> = [.pauseResume, .checkpoints, .clone, .dataLinks, .gpus, .existingVolumes, .execute]
        return configuration.agentPath == nil ? base : base.union([.terminals, .elasticHome])
    }

    /// The configuration.
    public let configuration: Configuration
    let logger: Logger
    let batch: BatchAPI
    let efs: EFSAPI
    let s3: S3API
    let logs: LogsAPI
    let secrets: SecretsAPI
    let locks = KeyedLock<SessionID>()
    /// Endpoints read from job logs, by job id.
    let endpoints = Mutex<[String: JobEndpoint]>([:])
    /// Sessions whose pause this instance sent, by session.
    let pausing = Mutex<Set<SessionID>>([])

    /// Creates a provider; no call is made until the first request.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the configuration breaks a rule (see
    ///   ``Configuration/validate()``).
    public init(configuration: Configuration, logger: Logger) throws(SessionError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let http = HTTPClient.shared
        let credentials = CredentialSource(source: configuration.credentials, metadataEndpoint: configuration.metadataEndpoint, http: http)
        func client(_ service: String, signingName: String, hostPrefix: String, displayName: String, bucket: String? = nil) throws(SessionError) -> AWSServiceClient {
            let override = configuration.serviceEndpoints[service] ?? configuration.endpoint
            var scheme = "https"
            var host = "\(hostPrefix).\(configuration.region).amazonaws.com"
            var basePath = ""
            if let override {
                guard let parsed = Self.parseEndpoint(override) else {
                    throw SessionError(.invalidArgument, "the \(service) endpoint '\(override)' is not an http(s)://host[:port] URL")
                }
                (scheme, host) = parsed
                if let bucket { basePath = "/" + SignatureV4.percentEncode(bucket) }
            } else if let bucket {
                host = "\(bucket).\(host)"
            }
            return AWSServiceClient(
                displayName: displayName, signer: SignatureV4(region: configuration.region, service: signingName), scheme: scheme,
                host: host, basePath: basePath, credentials: credentials, retry: configuration.retry,
                requestTimeout: configuration.requestTimeout, http: http, logger: logger)
        }
        batch = BatchAPI(client: try client("batch", signingName: "batch", hostPrefix: "batch", displayName: "AWS Batch"))
        efs = EFSAPI(client: try client("efs", signingName: "elasticfilesystem", hostPrefix: "elasticfilesystem", displayName: "Amazon EFS"))
        s3 = S3API(client: try client("s3", signingName: "s3", hostPrefix: "s3", displayName: "Amazon S3", bucket: configuration.checkpointBucket))
        logs = LogsAPI(client: try client("logs", signingName: "logs", hostPrefix: "logs", displayName: "CloudWatch Logs"))
        secrets = SecretsAPI(
            client: try client("secretsmanager", signingName: "secretsmanager", hostPrefix: "secretsmanager", displayName: "AWS Secrets Manager"))
    }

    /// `(scheme, host[:port])` of an `http(s)://host[:port][/]` URL.
    static func parseEndpoint(_ text: String) -> (String, String)? {
        for scheme in ["https", "http"] where text.hasPrefix("\(scheme)://") {
            var rest = text.dropFirst(scheme.count + 3)
            while rest.hasSuffix("/") { rest = rest.dropLast() }
            guard !rest.isEmpty, !rest.contains("/") else { return nil }
            return (scheme, String(rest))
        }
        return nil
    }

    /// Ready when the job queue is ENABLED and VALID, the file system exists and the
    /// bucket can be listed.
    ///
    /// - Throws: `UNAVAILABLE` when AWS cannot be reached.
    public func probe() async throws -> ProviderReadiness {
        guard let queue = try await batch.jobQueue(configuration.jobQueue) else {
            return ProviderReadiness(ready: false, message: "job queue '\(configuration.jobQueue)' does not exist in \(configuration.region)")
        }
        let state = queue["state"].string ?? "ENABLED"
        guard state == "ENABLED" else {
            return ProviderReadiness(ready: false, message: "job queue '\(configuration.jobQueue)' is \(state)")
        }
        guard try await efs.fileSystem(configuration.fileSystemID) != nil else {
            return ProviderReadiness(ready: false, message: "EFS file system \(configuration.fileSystemID) does not exist")
        }
        guard try await s3.bucketExists() else {
            return ProviderReadiness(ready: false, message: "checkpoint bucket '\(configuration.checkpointBucket)' does not exist")
        }
        return ProviderReadiness(
            ready: true, message: "job queue '\(configuration.jobQueue)' in \(configuration.region), homes on \(configuration.fileSystemID)")
    }
}
