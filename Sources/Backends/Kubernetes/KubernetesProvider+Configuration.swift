public import SessionSDK
import Foundation

extension KubernetesProvider {
    /// What a Kubernetes compute environment needs: how to reach and authenticate to the
    /// API server, the namespace sessions live in, and how sessions are shaped there.
    ///
    /// From the gateway's YAML, a compute environment's `settings:` map (all values are
    /// strings; every key is optional):
    ///
    /// ```yaml
    /// computeEnvironments:
    ///   - id: k8s
    ///     backend: kubernetes
    ///     pools: [cpu, gpu]
    ///     settings:
    ///       kubeconfig: /etc/sessiongw/kubeconfig   # absent: in-cluster service account
    ///       context: prod
    ///       namespace: sessions
    ///       storageClass: fast-ssd
    ///       snapshotClass: csi-snapshots
    ///       pool.gpu.nodeSelector: "nvidia.com/gpu.present=true"
    ///       pool.gpu.tolerations: "nvidia.com/gpu:NoSchedule"
    ///       # podSecurity: restricted                # the default; baseline or privileged opt out
    ///       # hostPathRoots: /data,/scratch          # file:// data-links; needs podSecurity: privileged
    /// ```
    ///
    /// Constructible in code as well:
    ///
    /// ```swift
    /// var configuration = KubernetesProvider.Configuration(credentials: .kubeconfig(path: path, context: nil))
    /// configuration.namespace = "sessions"
    /// ```
    public struct Configuration: Sendable {
        /// Where the backend's credentials and the API server's address come from.
        public enum Credentials: Hashable, Sendable {
            /// A kubeconfig file and a context in it (nil: its `current-context`).
            case kubeconfig(path: String, context: String?)
            /// The pod's service account: the token and CA under
            /// `/var/run/secrets/kubernetes.io/serviceaccount` and the server from
            /// `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT`.
            case inCluster
        }

        /// How the connection URL reaches a session.
        public enum ConnectionAddress: String, Hashable, Sendable {
            /// The Service's cluster DNS name, `<service>.<namespace>.svc.<clusterDomain>`:
            /// for gateways and proxies inside the cluster.
            case service
            /// The pod's IP address: for networks where pod IPs are routable.
            case podIP
        }

        /// Node selection and tolerations for one compute pool.
        public struct Pool: Hashable, Sendable {
            /// Labels a node must carry.
            public var nodeSelector: [String: String]
            /// Taints the session's pod tolerates, as `key[=value]:effect` (effect may be empty
            /// for every effect).
            public var tolerations: [Toleration]

            /// Creates a pool mapping.
            public init(nodeSelector: [String: String] = [:], tolerations: [Toleration] = []) {
                self.nodeSelector = nodeSelector
                self.tolerations = tolerations
            }
        }

        /// The Pod Security Standards level session pods are made to pass
        /// (<https://kubernetes.io/docs/concepts/security/pod-security-standards/>); the
        /// sessions' namespace can enforce the same level with the label
        /// `pod-security.kubernetes.io/enforce`. Levels are ordered: each allows what the
        /// ones before it allow.
        public enum PodSecurity: String, Hashable, Sendable, CaseIterable, Comparable {
            /// The default. Every container runs as ``Configuration/runAsUser`` (never
            /// root, `runAsNonRoot: true`), with all capabilities dropped, no privilege
            /// escalation and the runtime's default seccomp profile; volumes are only
            /// claims, and `file://` data-links are refused.
            case restricted
            /// For images that must start as root (or switch users): containers run as
            /// the image's user and keep the runtime's default capabilities and privilege
            /// escalation; never privileged, runtime default seccomp profile, no host
            /// namespaces or ports, no `hostPath`; `file://` data-links are refused.
            case baseline
            /// What `baseline` allows, and `file://` data-links under
            /// ``Configuration/hostPathRoots`` as `hostPath` volumes (which only the
            /// `privileged` level admits). Containers are still never privileged.
            case privileged

            public static func < (lhs: Self, rhs: Self) -> Bool {
                allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
            }
        }

        /// A toleration of a node taint.
        public struct Toleration: Hashable, Sendable {
            /// The taint's key.
            public var key: String
            /// The taint's value; nil tolerates any value (`operator: Exists`).
            public var value: String?
            /// `NoSchedule`, `PreferNoSchedule`, `NoExecute`, or nil for all.
            public var effect: String?

            /// Creates a toleration.
            public init(key: String, value: String? = nil, effect: String? = nil) {
                self.key = key
                self.value = value
                self.effect = effect
            }
        }

        /// The Pod Security Standards level session pods pass (setting `podSecurity`:
        /// `restricted`, `baseline` or `privileged`). Default `restricted`; anything else
        /// is an explicit opt-out by the environment's operator.
        public var podSecurity: PodSecurity
        /// Node directories `file:///PATH` data-links may mount, as `hostPath` volumes
        /// (setting `hostPathRoots`: absolute paths separated by commas). Default none: every
        /// `file://` link is refused. Needs `podSecurity: privileged`. The volume is the
        /// root and the link's directory is its `subPath`, so the kubelet refuses symbolic
        /// links inside the root that lead out of it.
        public var hostPathRoots: [String]
        /// The user every container runs as at the `restricted` level (setting
        /// `runAsUser`, ≥ 1). Default 1000. At the other levels containers run as the
        /// image's user.
        public var runAsUser: Int
        /// The primary group of every container at the `restricted` level (setting
        /// `runAsGroup`, ≥ 1). Default 1000.
        public var runAsGroup: Int
        /// The group that owns the session's volumes and is a supplementary group of
        /// every container, at every level, so the home is writable (setting `fsGroup`,
        /// ≥ 1). Default: ``runAsGroup``.
        public var fsGroup: Int
        /// Where credentials come from (settings `kubeconfig`, `context`; neither: in-cluster).
        public var credentials: Credentials
        /// Whether a kubeconfig's `insecure-skip-tls-verify: true` is accepted (setting
        /// `allowInsecureTLS`). Default false: such a kubeconfig is refused.
        public var allowInsecureTLS: Bool
        /// The namespace sessions are created in (setting `namespace`); nil: the context's
        /// namespace, the service account's, or `default`.
        public var namespace: String?
        /// The value of the `sessiongw.io/instance` label on every object (setting
        /// `instance`). Default `sessiongw`. Gateways sharing a namespace need different ones.
        public var instance: String
        /// The StorageClass of new home volumes (setting `storageClass`); nil: the
        /// cluster's default class.
        public var storageClass: String?
        /// The VolumeSnapshotClass of checkpoints (setting `snapshotClass`); nil: the
        /// cluster's default class.
        public var snapshotClass: String?
        /// Where the home volume is mounted, and the session's working directory
        /// (setting `homeMountPath`). Default `/workspace`.
        public var homeMountPath: String
        /// The port the IDE serves on, `$SESSION_PORT` (setting `sessionPort`). Default 8888.
        public var sessionPort: Int
        /// The image that holds the session agent (setting `agentImage`): an init
        /// container of this image copies `sessiongw-agent` into a shared `emptyDir`,
        /// and the session's container runs it as the supervisor of its command when
        /// the request carries an agent token. Nil (the default): sessions run without
        /// the agent, and the provider lacks the TERMINALS capability.
        public var agentImage: String?
        /// Where `sessiongw-agent` is in ``agentImage`` (setting `agentImagePath`).
        /// Default `/usr/local/bin/sessiongw-agent`.
        public var agentImagePath: String
        /// The port the agent listens on in the pod (setting `agentPort`). Default 7001.
        public var agentPort: Int
        /// An existing ReadWriteMany claim that holds built custom environments (setting
        /// `environmentCacheClaim`), one directory per cache key: a build Job writes one
        /// (in the session's image), sessions mount theirs read-only. Nil (the default):
        /// the provider lacks the ENVIRONMENT_BUILDS capability.
        public var environmentCacheClaim: String?
        /// How long a build Job may run, in seconds (setting
        /// `environmentBuildTimeoutSeconds`). Default 1800.
        public var environmentBuildTimeoutSeconds: Int
        /// Whether the gateway may grow new homes by expanding their claims (setting
        /// `expandHomes: true`; the StorageClass must allow volume expansion): the
        /// GROWING_HOME capability. Claims never shrink, so pausing reclaims nothing.
        /// Default false.
        public var expandHomes: Bool
        /// Variables of build Jobs (settings `environmentBuildEnv.<NAME>`), such as
        /// `PIP_INDEX_URL` for a package index mirror; part of the cache key. Default none.
        public var environmentBuildVariables: [String: String]
        /// How connection URLs reach sessions (setting `connectionAddress`: `service` or
        /// `podIP`). Default `service`.
        public var connectionAddress: ConnectionAddress
        /// The cluster's DNS domain (setting `clusterDomain`). Default `cluster.local`.
        public var clusterDomain: String
        /// Compute pools by name (settings `pool.<name>.nodeSelector` as `k=v,k=v` and
        /// `pool.<name>.tolerations` as `key[=value]:effect,...`). A request naming a pool
        /// that is not here is refused, unless the map is empty.
        public var pools: [String: Pool]
        /// The pool of requests that name none (setting `defaultPool`); nil: no node selection.
        public var defaultPool: String?
        /// The most CPU one session may ask for, in thousandths (setting `maxCPUMillis`).
        /// Default 64000.
        public var maxCPUMillis: Int
        /// The most memory one session may ask for (setting `maxMemoryMiB`). Default 512 GiB.
        public var maxMemoryBytes: Int64
        /// The most GPUs one session may ask for (setting `maxGPUs`). Default 8.
        public var maxGPUs: Int
        /// The seconds a session's pod is given to stop (setting
        /// `terminationGracePeriodSeconds`). Default 30.
        public var terminationGracePeriodSeconds: Int
        /// How long one API request may take (setting `requestTimeoutSeconds`). Default 30 s.
        public var requestTimeout: Duration
        /// How long a checkpoint may take to become ready to use (setting
        /// `snapshotTimeoutSeconds`). Default 300 s.
        public var snapshotTimeout: Duration
        /// How long a command run by ``KubernetesProvider/execute(_:in:)`` may take
        /// (setting `executeTimeoutSeconds`). Default 300 s.
        public var executeTimeout: Duration
        /// How long delete waits for the session's pod to stop before removing its
        /// volumes (setting `deleteTimeoutSeconds`). Default 60 s. With 0, delete returns
        /// at once; Kubernetes then removes the claims when the pod has stopped (their
        /// `kubernetes.io/pvc-protection` finalizer holds them until then).
        public var deleteTimeout: Duration
        /// Between two looks while waiting (snapshots, pod termination). Default 200 ms.
        public var pollInterval: Duration
        /// Retry rules (setting `maxAttempts`).
        public var retry: RetryPolicy

        /// Creates a configuration with the defaults listed with each field.
        public init(credentials: Credentials) {
            self.credentials = credentials
            self.allowInsecureTLS = false
            self.namespace = nil
            self.instance = "sessiongw"
            self.storageClass = nil
            self.snapshotClass = nil
            self.homeMountPath = "/workspace"
            self.sessionPort = 8888
            self.agentImage = nil
            self.agentImagePath = "/usr/local/bin/sessiongw-agent"
            self.agentPort = 7001
            self.environmentCacheClaim = nil
            self.environmentBuildTimeoutSeconds = 1800
            self.environmentBuildVariables = [:]
            self.expandHomes = false
            self.connectionAddress = .service
            self.clusterDomain = "cluster.local"
            self.pools = [:]
            self.defaultPool = nil
            self.maxCPUMillis = 64_000
            self.maxMemoryBytes = 512 << 30
            self.maxGPUs = 8
            self.terminationGracePeriodSeconds = 30
            self.requestTimeout = .seconds(30)
            self.snapshotTimeout = .seconds(300)
            self.executeTimeout = .seconds(300)
            self.deleteTimeout = .seconds(60)
            self.pollInterval = .milliseconds(200)
            self.retry = RetryPolicy()
            self.podSecurity = .restricted
            self.hostPathRoots = []
            self.runAsUser = 1000
            self.runAsGroup = 1000
            self.fsGroup = 1000
        }

        /// Reads the `settings:` map of a compute environment.
        ///
        /// - Throws: `INVALID_ARGUMENT` naming the setting that is wrong.
        public init(settings: [String: String]) throws(SessionError) {
            func integer(_ key: String, _ fallback: Int) throws(SessionError) -> Int {
                guard let text = settings[key] else { return fallback }
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                    throw SessionError(.invalidArgument, "the kubernetes setting '\(key)' must be a whole number ≥ 0, not '\(text)'")
                }
                return value
            }
            if let path = settings["kubeconfig"], !path.isEmpty {
                self.init(credentials: .kubeconfig(path: path, context: settings["context"]))
            } else {
                guard settings["context"] == nil else {
                    throw SessionError(.invalidArgument, "the kubernetes setting 'context' needs 'kubeconfig' as well")
                }
                self.init(credentials: .inCluster)
            }
            if let text = settings["allowInsecureTLS"] {
                guard let value = Bool(text.lowercased()) else {
                    throw SessionError(.invalidArgument, "the kubernetes setting 'allowInsecureTLS' must be true or false, not '\(text)'")
                }
                allowInsecureTLS = value
            }
            namespace = settings["namespace"]
            if let value = settings["instance"] { instance = value }
            storageClass = settings["storageClass"]
            snapshotClass = settings["snapshotClass"]
            if let value = settings["homeMountPath"] { homeMountPath = value }
            sessionPort = try integer("sessionPort", sessionPort)
            if let value = settings["agentImage"] { agentImage = value.isEmpty ? nil : value }
            if let value = settings["agentImagePath"] { agentImagePath = value }
            agentPort = try integer("agentPort", agentPort)
            if let value = settings["environmentCacheClaim"] { environmentCacheClaim = value.isEmpty ? nil : value }
            if let value = settings["expandHomes"] {
                guard let flag = Bool(value) else {
                    throw SessionError(.invalidArgument, "the kubernetes setting 'expandHomes' must be true or false, not '\(value)'")
                }
                expandHomes = flag
            }
            environmentBuildTimeoutSeconds = try integer("environmentBuildTimeoutSeconds", environmentBuildTimeoutSeconds)
            if let text = settings["connectionAddress"] {
                guard let value = ConnectionAddress(rawValue: text) else {
                    throw SessionError(.invalidArgument, "the kubernetes setting 'connectionAddress' must be 'service' or 'podIP', not '\(text)'")
                }
                connectionAddress = value
            }
            if let value = settings["clusterDomain"] { clusterDomain = value }
            for (key, value) in settings where key.hasPrefix("environmentBuildEnv.") {
                let name = String(key.dropFirst("environmentBuildEnv.".count))
                let isVariableName = name.first.map { !$0.isNumber } == true
                    && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                guard isVariableName, !["PATH", "HOME"].contains(name) else {
                    throw SessionError(.invalidArgument, "the kubernetes setting '\(key)' must name a variable other than PATH and HOME")
                }
                environmentBuildVariables[name] = value
            }
            for (key, value) in settings where key.hasPrefix("pool.") {
                let parts = key.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 3, !parts[1].isEmpty else {
                    throw SessionError(.invalidArgument, "the kubernetes setting '\(key)' must be pool.<name>.nodeSelector or pool.<name>.tolerations")
                }
                let name = String(parts[1])
                var pool = pools[name] ?? Pool()
                switch parts[2] {
                case "nodeSelector": pool.nodeSelector = try Self.parseSelector(value, key: key)
                case "tolerations": pool.tolerations = try Self.parseTolerations(value, key: key)
                default:
                    throw SessionError(.invalidArgument, "the kubernetes setting '\(key)' must be pool.<name>.nodeSelector or pool.<name>.tolerations")
                }
                pools[name] = pool
            }
            defaultPool = settings["defaultPool"]
            maxCPUMillis = try integer("maxCPUMillis", maxCPUMillis)
            maxMemoryBytes = Int64(try integer("maxMemoryMiB", Int(maxMemoryBytes >> 20))) << 20
            maxGPUs = try integer("maxGPUs", maxGPUs)
            terminationGracePeriodSeconds = try integer("terminationGracePeriodSeconds", terminationGracePeriodSeconds)
            requestTimeout = .seconds(try integer("requestTimeoutSeconds", 30))
            snapshotTimeout = .seconds(try integer("snapshotTimeoutSeconds", 300))
            executeTimeout = .seconds(try integer("executeTimeoutSeconds", 300))
            deleteTimeout = .seconds(try integer("deleteTimeoutSeconds", 60))
            retry.maxAttempts = max(1, try integer("maxAttempts", retry.maxAttempts))
            if let text = settings["podSecurity"] {
                guard let value = PodSecurity(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
                    throw SessionError(.invalidArgument, "the kubernetes setting 'podSecurity' must be restricted, baseline or privileged, not '\(text)'")
                }
                podSecurity = value
            }
            if let text = settings["hostPathRoots"] {
                hostPathRoots = BackendFactory.list(text)
            }
            runAsUser = try integer("runAsUser", runAsUser)
            runAsGroup = try integer("runAsGroup", runAsGroup)
            fsGroup = try integer("fsGroup", runAsGroup)
            try validate()
        }

        /// Checks the values' shapes.
        ///
        /// - Throws: `INVALID_ARGUMENT` with what to change.
        public func validate() throws(SessionError) {
            if let namespace, !KubeNames.isDNSLabel(namespace) {
                throw SessionError(.invalidArgument, "namespace '\(namespace)' is not a valid Kubernetes namespace name (a DNS-1123 label)")
            }
            guard KubeNames.isLabelValue(instance), !instance.isEmpty else {
                throw SessionError(.invalidArgument, "instance '\(instance)' must be 1–63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
            }
            guard homeMountPath.hasPrefix("/"), homeMountPath != "/", !homeMountPath.split(separator: "/").contains("..") else {
                throw SessionError(.invalidArgument, "homeMountPath '\(homeMountPath)' must be an absolute path below / without '..'")
            }
            let home = "/" + homeMountPath.split(separator: "/").joined(separator: "/")
            if home == DataLinkRules.mountRoot || home.hasPrefix(DataLinkRules.mountRoot + "/") {
                throw SessionError(.invalidArgument, "homeMountPath '\(homeMountPath)' is inside \(DataLinkRules.mountRoot), where data-links are mounted")
            }
            guard (1...65535).contains(sessionPort) else {
                throw SessionError(.invalidArgument, "sessionPort \(sessionPort) is not a TCP port")
            }
            guard (1...65535).contains(agentPort), agentPort != sessionPort else {
                throw SessionError(.invalidArgument, "agentPort \(agentPort) is not a TCP port other than sessionPort")
            }
            if let claim = environmentCacheClaim, !KubeNames.isDNSSubdomain(claim) {
                throw SessionError(.invalidArgument, "environmentCacheClaim '\(claim)' is not a valid claim name")
            }
            guard environmentBuildTimeoutSeconds > 0 else {
                throw SessionError(.invalidArgument, "environmentBuildTimeoutSeconds must be more than 0")
            }
            guard agentImagePath.hasPrefix("/") else {
                throw SessionError(.invalidArgument, "agentImagePath '\(agentImagePath)' must be an absolute path")
            }
            if let defaultPool, !pools.isEmpty, pools[defaultPool] == nil {
                throw SessionError(.invalidArgument, "defaultPool '\(defaultPool)' is not one of the configured pools (\(pools.keys.sorted().joined(separator: ", ")))")
            }
            for name in [storageClass, snapshotClass].compactMap({ $0 }) where !KubeNames.isDNSSubdomain(name) {
                throw SessionError(.invalidArgument, "class name '\(name)' is not a valid Kubernetes object name")
            }
            for (key, value) in [("runAsUser", runAsUser), ("runAsGroup", runAsGroup), ("fsGroup", fsGroup)]
            where !(1...Int(Int32.max)).contains(value) {
                throw SessionError(.invalidArgument, "the kubernetes setting '\(key)' must be a user or group id from 1 to \(Int32.max) (never root), not \(value)")
            }
            for root in hostPathRoots {
                let segments = root.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
                guard root.hasPrefix("/"), !segments.isEmpty, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
                      !root.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" || $0 == "%" }) else {
                    throw SessionError(
                        .invalidArgument,
                        "the kubernetes setting 'hostPathRoots' must list absolute directories other than / (no '.', '..' or empty segments, no trailing '/'), not '\(DataLinkRules.printable(root))'")
                }
            }
            if !hostPathRoots.isEmpty, podSecurity != .privileged {
                throw SessionError(
                    .invalidArgument,
                    "the kubernetes setting 'hostPathRoots' needs 'podSecurity: privileged' as well: the \(podSecurity.rawValue) Pod Security Standard forbids hostPath volumes")
            }
        }

        /// The allowed root containing `path` (absolute, normalized), if any.
        func hostPathRoot(containing path: String) -> String? {
            guard podSecurity >= .privileged else { return nil }
            return hostPathRoots.filter { path == $0 || path.hasPrefix($0 + "/") }.max { $0.count < $1.count }
        }

        /// `k=v,k=v`.
        static func parseSelector(_ text: String, key: String) throws(SessionError) -> [String: String] {
            var selector: [String: String] = [:]
            for item in text.split(separator: ",") {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, !pair[0].isEmpty else {
                    throw SessionError(.invalidArgument, "the kubernetes setting '\(key)' must be key=value pairs separated by commas, not '\(text)'")
                }
                selector[pair[0]] = pair[1]
            }
            return selector
        }

        /// `key[=value][:effect],...`.
        static func parseTolerations(_ text: String, key: String) throws(SessionError) -> [Toleration] {
            var tolerations: [Toleration] = []
            for item in text.split(separator: ",") {
                let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let effect = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                let pair = parts[0].split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard let name = pair.first, !name.isEmpty,
                      ["", "NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) else {
                    throw SessionError(
                        .invalidArgument, "the kubernetes setting '\(key)' must be key[=value][:NoSchedule|PreferNoSchedule|NoExecute],..., not '\(text)'")
                }
                tolerations.append(Toleration(key: name, value: pair.count == 2 ? pair[1] : nil, effect: effect.isEmpty ? nil : effect))
            }
            return tolerations
        }
    }
}
