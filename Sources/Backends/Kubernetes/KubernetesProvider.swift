import Foundation
import NIOHTTP1
public import Logging
public import SessionSDK
import Synchronization

/// Sessions as Kubernetes StatefulSets with a PersistentVolumeClaim for the home,
/// VolumeSnapshots for checkpoints, and a Service for the IDE port.
///
/// A session `id` is, in the configured namespace (``Configuration/namespace``):
///
/// - a StatefulSet `sgw-<slug>` with one replica (zero while paused) whose pod runs the
///   request's image and command with its resources (`nvidia.com/gpu` for GPUs), the
///   compute pool's node selector and tolerations, environment variables (secret ones
///   as `secretKeyRef`s), the home mounted at ``Configuration/homeMountPath`` and
///   data-links at `/workspace/data/<name>` (`readOnly` honoured);
/// - a PersistentVolumeClaim `sgw-<slug>-home` (the request's size, 5 GiB by default,
///   of ``Configuration/storageClass``; from a VolumeSnapshot for a clone), or the
///   existing claim the request names;
/// - a Service `sgw-<slug>` for the IDE port, and a Secret `sgw-<slug>-env` with the
///   session's token and secret variables;
/// - for each S3 data-link, a PersistentVolume of the Mountpoint for S3 CSI driver and a
///   claim bound to it.
///
/// Every object carries `app.kubernetes.io/managed-by: sessiongw`, the
/// `sessiongw.io/instance` label (``Configuration/instance``), the session and workspace
/// labels and annotations; the namespaced ones name the StatefulSet as their owner, so
/// Kubernetes' garbage collection removes them with it. Pause scales to zero and keeps
/// the volumes; resume applies the (possibly edited) request and scales back; delete
/// removes everything, volumes included. States come from the pod's conditions and
/// container states and from Events (see ``PodObservation``); ``watchSessions()`` lists
/// and watches StatefulSets and pods with resourceVersions and bookmarks.
///
/// ```swift
/// let configuration = try KubernetesProvider.Configuration(settings: [
///     "kubeconfig": "/etc/sessiongw/kubeconfig", "namespace": "sessions",
/// ])
/// let provider = try KubernetesProvider(configuration: configuration, logger: logger)
/// ```
public final class KubernetesProvider: SessionProvider {
    /// `kubernetes` and the backend's version.
    public let identity = ProviderIdentity(name: "kubernetes", version: "1.0.0")

    /// Pause and resume, checkpoints, clones, data-links, GPUs, watch, existing claims
    /// as homes and data volumes, execute, and terminals when an agent image is
    /// configured.
    public var capabilities: Set<ProviderCapability> {
        let base: Set<ProviderCapability> = [
            .pauseResume, .checkpoints, .clone, .dataLinks, .gpus, .watch, .existingVolumes, .execute,
        ]
        var capabilities = configuration.agentImage == nil ? base : base.union([.terminals])
        if configuration.environmentCacheClaim != nil { capabilities.insert(.environmentBuilds) }
        if configuration.expandHomes { capabilities.insert(.growingHome) }
        return capabilities
    }

    /// The configuration.
    public let configuration: Configuration
    /// The namespace new sessions are created in.
    public let namespace: String
    let logger: Logger
    let client: KubeClient
    let locks = KeyedLock<SessionID>()
    /// Session tokens read from their Secrets, by session.
    let tokens = Mutex<[SessionID: String]>([:])
    /// What the watches did.
    let watchStatistics = Mutex(WatchStatistics())

    /// What this instance's watches did so far: lists, resumed watches, re-lists after
    /// an expired resourceVersion.
    public var watchCounts: WatchStatistics { watchStatistics.withLock { $0 } }

    /// Creates a provider: reads the credentials; no call is made until the first request.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the configuration breaks a rule or the
    ///   kubeconfig cannot be used, `FAILED_PRECONDITION` for in-cluster credentials
    ///   outside a cluster.
    public init(configuration: Configuration, logger: Logger) throws(SessionError) {
        try configuration.validate()
        let credentials = try KubeCredentials.load(configuration.credentials, allowInsecure: configuration.allowInsecureTLS)
        self.configuration = configuration
        self.logger = logger
        self.namespace = configuration.namespace ?? credentials.namespace ?? "default"
        guard KubeNames.isDNSLabel(namespace) else {
            throw SessionError(.invalidArgument, "the namespace '\(namespace)' is not a valid Kubernetes namespace name")
        }
        self.client = try KubeClient(
            credentials: credentials, retry: configuration.retry, requestTimeout: configuration.requestTimeout, logger: logger)
    }

    /// The API server's address, such as `https://10.0.0.1:443`.
    public var server: String { client.server }

    /// Ready when the API server answers and the backend may list StatefulSets in its
    /// namespace (what its Role grants).
    ///
    /// - Throws: `UNAVAILABLE` when the API server cannot be reached.
    public func probe() async throws -> ProviderReadiness {
        let version: String
        do {
            let response = try await client.send(.GET, "/version", idempotent: true, what: "reading the API server's version")
            version = try client.parse(response, "reading the API server's version")["gitVersion"].string ?? "unknown version"
        } catch let error as KubeAPIError {
            throw error.sessionError("reading the API server's version")
        }
        do {
            _ = try await client.list(
                .statefulSets, namespace: namespace, labelSelector: SessionObjects.instanceSelector(configuration.instance),
                what: "listing the sessions' StatefulSets")
        } catch let error as SessionError where error.code == .permissionDenied || error.code == .unauthenticated {
            return ProviderReadiness(ready: false, message: error.message)
        }
        return ProviderReadiness(ready: true, message: "namespace '\(namespace)' at \(server) (Kubernetes \(version))")
    }
}
