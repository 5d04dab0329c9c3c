@testable import KubernetesBackend
import Foundation
import SessionSDK
import Testing

/// The objects the backend generates for a representative session (a GPU JupyterLab on
/// the `gpu` pool, a clone, an S3 data-link each way, a plain and a secret variable),
/// compared byte for byte with `Golden/*.json`, each file validated by the emulator's
/// strict schema validator (kubernetes-validate, and the snapshot CRD schema).
///
/// To accept a deliberate change: `KUBE_GOLDEN_UPDATE=1 swift test --filter KubernetesGoldenTests`,
/// then review the diff.
@Suite("Golden objects of the Kubernetes backend")
struct KubernetesGoldenTests {
    static let ownerUID = "5f0c3a52-8d2e-4c7b-9a61-0d3e2f1b4c5a"
    static let namespace = "sessions"

    /// The representative preset's session request.
    static func request() throws -> ProviderSessionRequest {
        let environment = ComputeEnvironment(id: "k8s", backend: "kubernetes", writableBuckets: ["team-scratch"])
        let links = try DataLinkRules.mounts(
            for: [
                DataLink(id: "dl-1", workspace: WorkspaceID(rawValue: "genomics"), name: "scratch",
                         location: try DataLinkRules.parseLocation("s3://team-scratch/projects/a")),
                DataLink(id: "dl-2", workspace: WorkspaceID(rawValue: "genomics"), name: "reference",
                         location: try DataLinkRules.parseLocation("s3://reference-data/genomes/hg38")),
            ], in: environment)
        return ProviderSessionRequest(
            sessionID: SessionID(rawValue: "s-7h3k9q2m"), workspace: WorkspaceID(rawValue: "genomics"), name: "train-model",
            ideKind: .jupyterLab, image: "quay.io/jupyter/pytorch-notebook:2024-10-07",
            command: ["start-notebook.py", "--ServerApp.port=8888", "--ServerApp.ip=0.0.0.0"],
            resources: Resources(cpuMillis: 4000, memoryBytes: 16 << 30, gpus: 1), computePool: "gpu",
            environment: ["MLFLOW_TRACKING_URI": "http://mlflow.internal:5000", "WANDB_API_KEY": "not-a-real-key"],
            secretNames: ["WANDB_API_KEY"], homeVolume: .new(sizeBytes: 20 << 30), dataLinks: links,
            durationLimit: .seconds(8 * 3600))
    }

    /// The configuration of the representative environment.
    static func configuration() -> KubernetesProvider.Configuration {
        var configuration = KubernetesProvider.Configuration(credentials: .inCluster)
        configuration.namespace = namespace
        configuration.storageClass = "standard"
        configuration.snapshotClass = "standard-snapshots"
        configuration.pools = [
            "gpu": .init(nodeSelector: ["nvidia.com/gpu.present": "true"], tolerations: [.init(key: "nvidia.com/gpu", effect: "NoSchedule")]),
        ]
        return configuration
    }

    /// Every generated object, by golden file name.
    static func objects() throws -> [(String, KubeObject)] {
        let request = try request()
        let objects = SessionObjects(request: request, configuration: configuration(), namespace: namespace)
        let owner = objects.ownerReference(uid: ownerUID)
        let writable = request.dataLinks[0]
        let checkpoint = Checkpoint(
            id: CheckpointID(rawValue: "cp-0001"), session: request.sessionID, name: "before tuning", trigger: .periodic,
            sizeBytes: 0, location: "", createdAt: 0)
        return [
            ("statefulset", objects.statefulSet(replicas: 1)),
            ("home-pvc", try #require(objects.homeClaim(owner: owner, snapshot: nil))),
            ("home-pvc-clone", try #require(objects.homeClaim(owner: owner, snapshot: "sgw-s-7h3k9q2m-cp-cp-0001"))),
            ("service", objects.service(owner: owner)),
            ("data-link-pv", try #require(objects.dataLinkVolume(writable))),
            ("data-link-pvc", try #require(objects.dataLinkClaim(writable, owner: owner))),
            ("data-link-pv-readonly", try #require(objects.dataLinkVolume(request.dataLinks[1]))),
            ("volumesnapshot", SessionObjects.snapshot(
                checkpoint, claim: objects.names.homeClaim, namespace: namespace, workspace: request.workspace, configuration: configuration())),
            ("statefulset-agent", agentObjects(request).statefulSet(replicas: 1)),
            ("service-agent", agentObjects(request).service(owner: owner)),
        ]
    }

    /// The agent's token in the representative request.
    static let agentToken = "sga-not-a-real-agent-token"

    /// The objects of the representative request with an agent token, in an
    /// environment with an agent image.
    static func agentObjects(_ request: ProviderSessionRequest) -> SessionObjects {
        var request = request
        request.agentToken = agentToken
        var configuration = configuration()
        configuration.agentImage = "ghcr.io/example/sessiongw-agent:0.1.0"
        return SessionObjects(request: request, configuration: configuration, namespace: namespace)
    }

    static let directory = TestTools.repositoryPath("Tests/KubernetesBackendTests/Golden")

    @Test("each generated object equals its golden file, and each golden file is valid against the official schemas")
    func goldenObjects() throws {
        let update = ProcessInfo.processInfo.environment["KUBE_GOLDEN_UPDATE"] == "1"
        var paths: [String] = []
        for (name, object) in try Self.objects() {
            let path = "\(Self.directory)/\(name).json"
            paths.append(path)
            if update { try object.prettyJSON.write(toFile: path, atomically: true, encoding: .utf8) }
            let golden = try String(contentsOfFile: path, encoding: .utf8)
            #expect(object.prettyJSON == golden, "\(name) differs from Golden/\(name).json")
        }
        let validation = try TestTools.validate(paths)
        #expect(validation.valid, "\(validation.report)")
        #expect(validation.report.components(separatedBy: "\n").filter { $0.hasPrefix("OK ") }.count == paths.count, "\(validation.report)")
    }

    @Test("no secret value is in the StatefulSet: secret variables are secretKeyRefs into the session's Secret")
    func secretsAreReferences() throws {
        let objects = try Self.objects()
        let statefulSet = try #require(objects.first { $0.0 == "statefulset" }?.1)
        #expect(!statefulSet.prettyJSON.contains("not-a-real-key"))
        let env = statefulSet["spec"]["template"]["spec"]["containers"].array[0]["env"].array
        let key = try #require(env.first { $0["name"].string == "WANDB_API_KEY" })
        #expect(key["valueFrom"]["secretKeyRef"]["name"].string == "sgw-s-7h3k9q2m-env")
        #expect(key["value"].isNull)
    }

    @Test("with the agent, its token is a secretKeyRef too, and the init container copies it into a volume the session reads only")
    func agentTokenIsAReference() throws {
        let objects = Self.agentObjects(try Self.request())
        let statefulSet = objects.statefulSet(replicas: 1)
        #expect(!statefulSet.prettyJSON.contains(Self.agentToken))
        let pod = statefulSet["spec"]["template"]["spec"]
        let token = try #require(pod["containers"].array[0]["env"].array.first { $0["name"].string == "SESSIONGW_AGENT_TOKEN" })
        #expect(token["valueFrom"]["secretKeyRef"]["key"].string == "agent-token")
        #expect(pod["initContainers"].array.map { $0["name"].string } == ["sessiongw-agent"])
        let mount = try #require(pod["containers"].array[0]["volumeMounts"].array.first { $0["name"].string == "sessiongw-agent" })
        #expect(mount["readOnly"].bool == true)
        let secret = objects.secret(token: "t", owner: nil)
        #expect(secret["data"]["agent-token"].string == Data(Self.agentToken.utf8).base64EncodedString())
        // Without a token in the request (or an agent image), nothing of the agent.
        let plain = SessionObjects(request: try Self.request(), configuration: Self.configuration(), namespace: Self.namespace)
        #expect(!plain.statefulSet(replicas: 1).prettyJSON.contains("sessiongw-agent"))
        #expect(plain.secret(token: "t", owner: nil)["data"]["agent-token"].isNull)
    }

    @Test("the RBAC manifest is valid against the official schemas")
    func rbacManifest() throws {
        let validation = try TestTools.validate([TestTools.repositoryPath("deploy/kubernetes/rbac.yaml")])
        #expect(validation.valid, "\(validation.report)")
        for kind in ["ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"] {
            #expect(validation.report.contains(" \(kind)/"), "\(kind) missing: \(validation.report)")
        }
    }
}
