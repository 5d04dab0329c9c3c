import BackendStorage
import Foundation
import SessionSDK

/// The objects of one session, built from its request: pure functions, so golden tests
/// check exactly what the backend sends.
///
/// - StatefulSet `sgw-<slug>` (one replica; zero while paused): the pod runs the image
///   and command with `SESSION_PORT`, `SESSION_ID`, `SESSION_TOKEN` and the request's
///   variables (secret ones as `secretKeyRef`s into the session's Secret), resources as
///   requests and limits (GPUs as `nvidia.com/gpu`), the pool's node selector and
///   tolerations, a TCP readiness probe on the IDE port, the home at the configured path
///   (also the working directory), data volumes, and data-links at
///   `/workspace/data/<name>` with `readOnly` honoured; security contexts that pass the
///   configured Pod Security Standards level (`restricted` unless the environment opts
///   out), and `hostPath` volumes only for `file://` links inside the allowed roots.
/// - PersistentVolumeClaim `…-home` (new homes; from a VolumeSnapshot for clones).
/// - With the session agent (an agent image configured and an agent token in the
///   request): an init container of the agent image copies `sessiongw-agent` into an
///   `emptyDir` that the session's container mounts read-only at `/sessiongw`; the
///   container runs the agent, which supervises the command and listens on the agent
///   port, its token from the Secret.
/// - Service `sgw-<slug>` for the IDE port (and the agent's).
/// - Secret `…-env`: the session token, the agent token and secret variables' values.
/// - With packages (and an environment cache claim): the session mounts its build Job's
///   directory of the cache claim read-only at `/srv/environment`, first on `PATH`
///   (see `SessionObjects+Environment.swift` for the Job).
/// - For each S3 data-link: a PersistentVolume of the Mountpoint for S3 CSI driver and a
///   claim bound to it.
/// - VolumeSnapshot `…-cp-<checkpoint>` of the home claim for each checkpoint.
///
/// Every object carries the labels of ``labels(_:component:)`` and the session's
/// annotations; namespaced ones other than the StatefulSet name it as their owner.
struct SessionObjects: Sendable {
    /// The request.
    var request: ProviderSessionRequest
    /// The configuration.
    var configuration: KubernetesProvider.Configuration
    /// The namespace.
    var namespace: String
    /// The build Job of the session's custom environment, when it has one: the
    /// StatefulSet names it, and the session mounts its directory of the cache claim.
    var environmentJob: String? = nil

    /// The names.
    var names: KubeNames { KubeNames(sessionID: request.sessionID) }

    /// The labels of the session's objects.
    static func labels(_ names: KubeNames, instance: String, workspace: WorkspaceID, component: String) -> KubeObject {
        [
            KubeNames.managedByLabel: .string(KubeNames.managedByValue),
            KubeNames.instanceLabel: .string(instance),
            KubeNames.sessionLabel: .string(names.slug),
            KubeNames.workspaceLabel: .string(KubeNames.labelValue(workspace.rawValue)),
            KubeNames.componentLabel: .string(component),
        ]
    }

    /// The label selector of everything this gateway instance made.
    static func instanceSelector(_ instance: String) -> String {
        "\(KubeNames.managedByLabel)=\(KubeNames.managedByValue),\(KubeNames.instanceLabel)=\(instance)"
    }

    /// The label selector of one session's objects.
    static func sessionSelector(_ names: KubeNames, instance: String) -> String {
        instanceSelector(instance) + ",\(KubeNames.sessionLabel)=\(names.slug)"
    }

    func labels(_ component: String) -> KubeObject {
        Self.labels(names, instance: configuration.instance, workspace: request.workspace, component: component)
    }

    /// The annotations of the session's objects.
    var annotations: KubeObject {
        [
            KubeNames.sessionIDAnnotation: .string(request.sessionID.rawValue),
            KubeNames.workspaceAnnotation: .string(request.workspace.rawValue),
            KubeNames.sessionNameAnnotation: .string(request.name),
        ]
    }

    func metadata(_ name: String, component: String, owner: KubeObject?, namespaced: Bool = true) -> KubeObject {
        var metadata: KubeObject = ["name": .string(name), "labels": labels(component), "annotations": annotations]
        if namespaced { metadata["namespace"] = .string(namespace) }
        if let owner { metadata["ownerReferences"] = [owner] }
        return metadata
    }

    /// The owner reference to the StatefulSet with this uid.
    func ownerReference(uid: String) -> KubeObject {
        [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "name": .string(names.statefulSet), "uid": .string(uid),
            "controller": false, "blockOwnerDeletion": false,
        ]
    }

    // MARK: Quantities

    /// CPU as a quantity: `2` or `500m`.
    static func cpu(_ millis: Int) -> String { millis % 1000 == 0 ? "\(millis / 1000)" : "\(millis)m" }

    /// Bytes as a quantity: `5Gi`, `256Mi`, `1Ki` or plain bytes.
    static func bytes(_ value: Int64) -> String {
        for (suffix, shift) in [("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)] where value >= (1 << shift) && value % (1 << shift) == 0 {
            return "\(value >> shift)\(suffix)"
        }
        return "\(value)"
    }

    // MARK: The StatefulSet

    /// The StatefulSet with `replicas` (0 while a create is in progress or paused).
    func statefulSet(replicas: Int, token: String? = nil) -> KubeObject {
        var metadata = metadata(names.statefulSet, component: "session", owner: nil)
        metadata["annotations"][KubeNames.ideKindAnnotation] = .string(request.ideKind.rawValue)
        if let environmentJob { metadata["annotations"][KubeNames.environmentJobAnnotation] = .string(environmentJob) }
        let selector: KubeObject = [
            KubeNames.managedByLabel: .string(KubeNames.managedByValue),
            KubeNames.instanceLabel: .string(configuration.instance),
            KubeNames.sessionLabel: .string(names.slug),
        ]
        return [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": metadata,
            "spec": [
                "replicas": .int(Int64(replicas)),
                "serviceName": .string(names.service),
                "selector": ["matchLabels": selector],
                "podManagementPolicy": "Parallel",
                "template": podTemplate(),
            ],
        ]
    }

    /// Where the session's container sees the agent's volume.
    static let agentDirectory = "/sessiongw"
    /// The agent's init container and volume.
    static let agentVolume = "sessiongw-agent"

    /// Whether the session runs the agent: an agent image is configured and the
    /// request carries a token.
    var runsAgent: Bool { configuration.agentImage != nil && request.agentToken != nil }

    /// The session's command: under the agent when it runs one.
    var command: [String] {
        guard runsAgent else { return request.command }
        return SessionAgentLaunch.command(
            executable: "\(Self.agentDirectory)/\(SessionAgentLaunch.executableName)",
            listen: "0.0.0.0:\(configuration.agentPort)", home: configuration.homeMountPath, running: request.command)
    }

    /// The container ports: the IDE's, and the agent's when it runs.
    var containerPorts: [KubeObject] {
        var ports: [KubeObject] = [["name": "ide", "containerPort": .int(Int64(configuration.sessionPort)), "protocol": "TCP"]]
        if runsAgent { ports.append(["name": "agent", "containerPort": .int(Int64(configuration.agentPort)), "protocol": "TCP"]) }
        return ports
    }

    /// The init container that copies the agent into its volume.
    func agentInitContainer() -> KubeObject? {
        guard runsAgent, let image = configuration.agentImage else { return nil }
        return [
            "name": .string(Self.agentVolume),
            "image": .string(image),
            "command": [
                .string(configuration.agentImagePath), "--install-to",
                .string("\(Self.agentDirectory)/\(SessionAgentLaunch.executableName)"),
            ],
            "resources": ["requests": ["cpu": "10m", "memory": "32Mi"], "limits": ["cpu": "500m", "memory": "64Mi"]],
            "volumeMounts": [["name": .string(Self.agentVolume), "mountPath": .string(Self.agentDirectory)]],
            "securityContext": containerSecurityContext(),
        ]
    }

    /// The pod template.
    func podTemplate() -> KubeObject {
        let container: KubeObject = [
            "name": "session",
            "image": .string(request.image),
            "command": .array(command.map { .string($0) }),
            "workingDir": .string(configuration.homeMountPath),
            "env": .array(environment()),
            "ports": .array(containerPorts),
            "resources": resources(),
            "readinessProbe": [
                "tcpSocket": ["port": "ide"], "periodSeconds": 2, "failureThreshold": 3, "timeoutSeconds": 1,
            ],
            "volumeMounts": .array(volumeMounts()),
            "securityContext": containerSecurityContext(),
        ]
        var spec: KubeObject = [
            "containers": [container],
            "volumes": .array(volumes()),
            "terminationGracePeriodSeconds": .int(Int64(configuration.terminationGracePeriodSeconds)),
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "securityContext": podSecurityContext(),
        ]
        if let initContainer = agentInitContainer() { spec["initContainers"] = [initContainer] }
        if let duration = request.durationLimit {
            spec["activeDeadlineSeconds"] = .int(max(1, duration.components.seconds))
        }
        let pool = pool
        if !pool.nodeSelector.isEmpty {
            spec["nodeSelector"] = .object(pool.nodeSelector.mapValues { .string($0) })
        }
        if !pool.tolerations.isEmpty {
            spec["tolerations"] = .array(pool.tolerations.map { toleration in
                var object: KubeObject = ["key": .string(toleration.key)]
                if let value = toleration.value {
                    object["operator"] = "Equal"
                    object["value"] = .string(value)
                } else {
                    object["operator"] = "Exists"
                }
                if let effect = toleration.effect { object["effect"] = .string(effect) }
                return object
            })
        }
        var templateLabels = labels("session")
        templateLabels[KubeNames.componentLabel] = "session"
        return ["metadata": ["labels": templateLabels, "annotations": annotations], "spec": spec]
    }

    // MARK: Pod Security Standards

    /// The pod's security context for ``KubernetesProvider/Configuration/podSecurity``:
    /// at every level the runtime's default seccomp profile and ``fsGroup`` (so the home
    /// is writable by the session's user); at `restricted` also a fixed non-root user
    /// and group.
    func podSecurityContext() -> KubeObject {
        var context: KubeObject = [
            "seccompProfile": ["type": "RuntimeDefault"],
            "fsGroup": .int(Int64(configuration.fsGroup)),
            "fsGroupChangePolicy": "OnRootMismatch",
        ]
        if configuration.podSecurity == .restricted {
            context["runAsNonRoot"] = true
            context["runAsUser"] = .int(Int64(configuration.runAsUser))
            context["runAsGroup"] = .int(Int64(configuration.runAsGroup))
        }
        return context
    }

    /// The container's security context: never privileged; at `restricted` also
    /// non-root, without privilege escalation and with every capability dropped.
    func containerSecurityContext() -> KubeObject {
        var context: KubeObject = ["privileged": false]
        if configuration.podSecurity == .restricted {
            context["runAsNonRoot"] = true
            context["allowPrivilegeEscalation"] = false
            context["capabilities"] = ["drop": ["ALL"]]
        }
        return context
    }

    /// The node directory of a `file://` data-link: the allowed root that contains it
    /// (the `hostPath` volume) and the rest of the path (the mount's `subPath`, which the
    /// kubelet resolves without following symbolic links out of the volume); nil when
    /// the environment does not allow it (``KubernetesProvider/validate(_:)`` refuses
    /// such requests before anything is made).
    func hostPath(of link: DataLinkMount) -> (root: String, subPath: String)? {
        guard link.dataLink.location.scheme == .file else { return nil }
        let path = "/" + link.dataLink.location.prefix
        guard let root = configuration.hostPathRoot(containing: path) else { return nil }
        let rest = path.dropFirst(root.count)
        return (root, String(rest.hasPrefix("/") ? rest.dropFirst() : rest))
    }

    /// The pool the request runs on (empty when none is configured).
    var pool: KubernetesProvider.Configuration.Pool {
        let name = request.computePool.isEmpty ? configuration.defaultPool : request.computePool
        guard let name else { return .init() }
        return configuration.pools[name] ?? .init()
    }

    /// The container's resources: requests equal limits (Guaranteed QoS).
    func resources() -> KubeObject {
        var amounts: KubeObject = [
            "cpu": .string(Self.cpu(request.resources.cpuMillis)),
            "memory": .string(Self.bytes(request.resources.memoryBytes)),
        ]
        if request.resources.gpus > 0 { amounts["nvidia.com/gpu"] = .string("\(request.resources.gpus)") }
        return ["requests": amounts, "limits": amounts]
    }

    /// The keys of secret variables in the Secret, by variable name: Secret keys allow
    /// only letters, digits, `-`, `_` and `.`.
    func secretKeys() -> [String: String] {
        var keys: [String: String] = [:]
        for (index, name) in request.secretNames.filter({ request.environment[$0] != nil }).sorted().enumerated() {
            let safe = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
            keys[name] = safe && name.count <= 200 ? "env.\(name)" : "env.\(index)"
        }
        return keys
    }

    /// The variables: the session's own first, then the request's sorted by name.
    func environment() -> [KubeObject] {
        var variables: [KubeObject] = [
            ["name": "SESSION_PORT", "value": .string(String(configuration.sessionPort))],
            ["name": "SESSION_ID", "value": .string(request.sessionID.rawValue)],
            ["name": "SESSION_TOKEN", "valueFrom": ["secretKeyRef": ["name": .string(names.secret), "key": "token"]]],
            ["name": "HOME", "value": .string(configuration.homeMountPath)],
        ]
        if runsAgent {
            variables.append([
                "name": .string(SessionAgentLaunch.tokenVariable),
                "valueFrom": ["secretKeyRef": ["name": .string(names.secret), "key": "agent-token"]],
            ])
        }
        var reserved: Set<String> = ["SESSION_PORT", "SESSION_ID", "SESSION_TOKEN", "HOME", SessionAgentLaunch.tokenVariable]
        if environmentMount != nil {
            let base = ["PATH": request.environment["PATH"] ?? Self.defaultPath]
            for (name, value) in EnvironmentBuild.sessionVariables(base).sorted(by: { $0.key < $1.key }) {
                variables.append(["name": .string(name), "value": .string(value)])
                reserved.insert(name)
            }
        }
        let keys = secretKeys()
        for name in request.environment.keys.sorted() where !reserved.contains(name) {
            if let key = keys[name] {
                variables.append(["name": .string(name), "valueFrom": ["secretKeyRef": ["name": .string(names.secret), "key": .string(key)]]])
            } else {
                variables.append(["name": .string(name), "value": .string(request.environment[name] ?? "")])
            }
        }
        return variables
    }

    /// The volume name of a data-link.
    static func dataLinkVolumeName(_ index: Int) -> String { "data-link-\(index)" }

    func volumes() -> [KubeObject] {
        var volumes: [KubeObject] = [["name": "home", "persistentVolumeClaim": ["claimName": .string(homeClaimName)]]]
        if runsAgent { volumes.append(["name": .string(Self.agentVolume), "emptyDir": ["sizeLimit": "256Mi"]]) }
        if let environment = environmentMount { volumes.append(environment.volume) }
        for (index, volume) in request.dataVolumes.enumerated() {
            volumes.append([
                "name": .string("data-volume-\(index)"),
                "persistentVolumeClaim": ["claimName": .string(volume.source), "readOnly": .bool(volume.readOnly)],
            ])
        }
        for (index, link) in request.dataLinks.enumerated() {
            let name = Self.dataLinkVolumeName(index)
            switch link.dataLink.location.scheme {
            case .s3, .efs:
                volumes.append([
                    "name": .string(name),
                    "persistentVolumeClaim": ["claimName": .string(names.dataLinkClaim(Self.linkName(link))), "readOnly": .bool(link.readOnly)],
                ])
            case .file:
                // Only inside an allowed root, at the `privileged` level.
                guard let node = hostPath(of: link) else { continue }
                volumes.append(["name": .string(name), "hostPath": ["path": .string(node.root), "type": "Directory"]])
            }
        }
        return volumes
    }

    func volumeMounts() -> [KubeObject] {
        var mounts: [KubeObject] = [["name": "home", "mountPath": .string(configuration.homeMountPath)]]
        if runsAgent {
            mounts.append(["name": .string(Self.agentVolume), "mountPath": .string(Self.agentDirectory), "readOnly": true])
        }
        if let environment = environmentMount { mounts.append(environment.mount) }
        for (index, volume) in request.dataVolumes.enumerated() {
            mounts.append(["name": .string("data-volume-\(index)"), "mountPath": .string(volume.mountPath), "readOnly": .bool(volume.readOnly)])
        }
        for (index, link) in request.dataLinks.enumerated() {
            var mount: KubeObject = ["name": .string(Self.dataLinkVolumeName(index)), "mountPath": .string(link.mountPath), "readOnly": .bool(link.readOnly)]
            if link.dataLink.location.scheme == .file {
                guard let node = hostPath(of: link) else { continue }
                if !node.subPath.isEmpty { mount["subPath"] = .string(node.subPath) }
            }
            mounts.append(mount)
        }
        return mounts
    }

    /// The data-link's directory name under `/workspace/data`.
    static func linkName(_ link: DataLinkMount) -> String {
        String(link.mountPath.split(separator: "/").last ?? "")
    }

    /// The home claim: the session's own, or the existing one the request names.
    var homeClaimName: String {
        if case .existing(let name) = request.homeVolume { return name }
        return names.homeClaim
    }

    // MARK: Storage

    /// The new home claim (nil for an existing home), from the checkpoint's snapshot for a clone.
    func homeClaim(owner: KubeObject?, snapshot: String?) -> KubeObject? {
        guard case .new(let size) = request.homeVolume else { return nil }
        var spec: KubeObject = [
            "accessModes": ["ReadWriteOnce"],
            "resources": ["requests": ["storage": .string(Self.bytes(size > 0 ? size : 5 << 30))]],
        ]
        if let storageClass = configuration.storageClass { spec["storageClassName"] = .string(storageClass) }
        if let snapshot {
            spec["dataSource"] = ["apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": .string(snapshot)]
        }
        return [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": metadata(names.homeClaim, component: "home", owner: owner), "spec": spec,
        ]
    }

    /// The capacity given to data-link volumes (the CSI drivers ignore it; the API requires one).
    static let dataLinkCapacity = "1Ti"

    /// The persistent volume of a data-link to a bucket or file system.
    func dataLinkVolume(_ link: DataLinkMount) -> KubeObject? {
        let location = link.dataLink.location
        let linkName = Self.linkName(link)
        let volumeName = names.dataLinkVolume(linkName, namespace: namespace)
        let csi: KubeObject
        var mountOptions: [KubeObject] = []
        switch location.scheme {
        case .s3:
            csi = ["driver": "s3.csi.aws.com", "volumeHandle": .string(volumeName), "volumeAttributes": ["bucketName": .string(location.bucket)]]
            if !location.prefix.isEmpty { mountOptions.append(.string("prefix \(location.prefix)/")) }
            mountOptions.append(link.readOnly ? "read-only" : "allow-delete")
            if !link.readOnly { mountOptions.append("allow-overwrite") }
        case .efs:
            let path = location.prefix.isEmpty ? "" : ":/\(location.prefix)"
            csi = ["driver": "efs.csi.aws.com", "volumeHandle": .string("\(location.bucket)\(path)")]
            mountOptions.append("tls")
            if link.readOnly { mountOptions.append("ro") }
        case .file:
            return nil
        }
        var metadata = metadata(volumeName, component: "data-link", owner: nil, namespaced: false)
        metadata["annotations"]["sessiongw.io/data-link-id"] = .string(link.dataLink.id)
        metadata["annotations"]["sessiongw.io/namespace"] = .string(namespace)
        return [
            "apiVersion": "v1", "kind": "PersistentVolume", "metadata": metadata,
            "spec": [
                "capacity": ["storage": .string(Self.dataLinkCapacity)],
                "accessModes": [link.readOnly ? "ReadOnlyMany" : "ReadWriteMany"],
                "persistentVolumeReclaimPolicy": "Retain",
                "storageClassName": "",
                "mountOptions": .array(mountOptions),
                "claimRef": ["namespace": .string(namespace), "name": .string(names.dataLinkClaim(linkName))],
                "csi": csi,
            ],
        ]
    }

    /// The claim bound to a data-link's volume.
    func dataLinkClaim(_ link: DataLinkMount, owner: KubeObject?) -> KubeObject? {
        guard link.dataLink.location.scheme != .file else { return nil }
        let linkName = Self.linkName(link)
        var metadata = metadata(names.dataLinkClaim(linkName), component: "data-link", owner: owner)
        metadata["annotations"]["sessiongw.io/data-link-id"] = .string(link.dataLink.id)
        return [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata,
            "spec": [
                "accessModes": [link.readOnly ? "ReadOnlyMany" : "ReadWriteMany"],
                "storageClassName": "",
                "volumeName": .string(names.dataLinkVolume(linkName, namespace: namespace)),
                "resources": ["requests": ["storage": .string(Self.dataLinkCapacity)]],
            ],
        ]
    }

    // MARK: Service and Secret

    /// The Service of the IDE port.
    func service(owner: KubeObject?) -> KubeObject {
        [
            "apiVersion": "v1", "kind": "Service", "metadata": metadata(names.service, component: "session", owner: owner),
            "spec": [
                "type": "ClusterIP",
                "selector": [
                    KubeNames.managedByLabel: .string(KubeNames.managedByValue),
                    KubeNames.instanceLabel: .string(configuration.instance),
                    KubeNames.sessionLabel: .string(names.slug),
                ],
                "ports": .array(servicePorts),
            ],
        ]
    }

    /// The Service's ports: the IDE's, and the agent's when it runs.
    var servicePorts: [KubeObject] {
        var ports: [KubeObject] = [["name": "ide", "port": .int(Int64(configuration.sessionPort)), "targetPort": "ide", "protocol": "TCP"]]
        if runsAgent {
            ports.append(["name": "agent", "port": .int(Int64(configuration.agentPort)), "targetPort": "agent", "protocol": "TCP"])
        }
        return ports
    }

    /// The Secret of the token and the secret variables (values base64 in `data`).
    func secret(token: String, owner: KubeObject?) -> KubeObject {
        var data: KubeObject = ["token": .string(Data(token.utf8).base64EncodedString())]
        if runsAgent, let agentToken = request.agentToken {
            data["agent-token"] = .string(Data(agentToken.utf8).base64EncodedString())
        }
        for (name, key) in secretKeys() {
            data[key] = .string(Data((request.environment[name] ?? "").utf8).base64EncodedString())
        }
        return [
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": metadata(names.secret, component: "secrets", owner: owner), "data": data,
        ]
    }

    // MARK: Checkpoints

    /// The VolumeSnapshot of a checkpoint of the home claim.
    static func snapshot(
        _ checkpoint: Checkpoint, claim: String, namespace: String, workspace: WorkspaceID, configuration: KubernetesProvider.Configuration
    ) -> KubeObject {
        let names = KubeNames(sessionID: checkpoint.session)
        var labels = labels(names, instance: configuration.instance, workspace: workspace, component: "checkpoint")
        labels["sessiongw.io/checkpoint-trigger"] = .string(checkpoint.trigger.rawValue.lowercased())
        var spec: KubeObject = ["source": ["persistentVolumeClaimName": .string(claim)]]
        if let snapshotClass = configuration.snapshotClass { spec["volumeSnapshotClassName"] = .string(snapshotClass) }
        return [
            "apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot",
            "metadata": [
                "name": .string(names.snapshot(checkpoint.id)), "namespace": .string(namespace), "labels": labels,
                "annotations": [
                    KubeNames.sessionIDAnnotation: .string(checkpoint.session.rawValue),
                    KubeNames.workspaceAnnotation: .string(workspace.rawValue),
                    KubeNames.checkpointAnnotation: .string(checkpoint.id.rawValue),
                    "sessiongw.io/checkpoint-name": .string(checkpoint.name),
                ],
            ],
            "spec": spec,
        ]
    }
}
