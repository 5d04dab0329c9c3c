@testable import KubernetesBackend
import Foundation
import SessionSDK
import Testing

/// Names, credentials, configuration and the state mapping, without an API server.
@Suite("Kubernetes backend parts")
struct KubernetesUnitTests {
    @Test("names are DNS-1123 labels derived from the session id; distinct ids never share one")
    func names() {
        let plain = KubeNames(sessionID: SessionID(rawValue: "s-7h3k9q2m"))
        #expect(plain.statefulSet == "sgw-s-7h3k9q2m")
        #expect(plain.pod == "sgw-s-7h3k9q2m-0")
        let upper = KubeNames(sessionID: SessionID(rawValue: "S-7H3K9Q2M"))
        #expect(upper.statefulSet != plain.statefulSet, "case variants are different sessions")
        let long = KubeNames(sessionID: SessionID(rawValue: String(repeating: "x_", count: 80)))
        for names in [plain, upper, long] {
            #expect(KubeNames.isDNSLabel(names.statefulSet) && names.statefulSet.count <= 44, "\(names.statefulSet)")
            #expect(KubeNames.isDNSLabel(names.pod))
            #expect(KubeNames.isLabelValue(names.slug))
        }
        #expect(KubeNames.isDNSSubdomain(plain.dataLinkVolume("scratch", namespace: "team-a")))
    }

    @Test("handles round-trip, and foreign handles are NOT_FOUND")
    func handles() throws {
        let handle = KubeHandle(namespace: "sessions", sessionID: SessionID(rawValue: "a:b/c"))
        #expect(try KubeHandle(handle.handle) == handle)
        for foreign in ["awsbatch:x", "kubernetes:Not_A_Namespace:x", "kubernetes:ns:"] {
            do {
                _ = try KubeHandle(SessionHandle(rawValue: foreign))
                Issue.record("'\(foreign)' was accepted")
            } catch {
                #expect(error.code == .notFound)
            }
        }
    }

    @Test("a kubeconfig gives the current context's server, CA, token and namespace; insecure clusters are refused unless allowed")
    func kubeconfig() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kswift-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: "\(directory)/ca.crt", atomically: true, encoding: .utf8)
        let config = """
            apiVersion: v1
            kind: Config
            current-context: main
            clusters:
              - name: prod
                cluster: {server: "https://10.1.2.3:6443", certificate-authority: ca.crt}
              - name: lab
                cluster: {server: "https://lab.example:443", insecure-skip-tls-verify: true}
            users:
              - name: robot
                user: {token: "t0ken-value"}
            contexts:
              - name: main
                context: {cluster: prod, user: robot, namespace: sessions}
              - name: lab
                context: {cluster: lab, user: robot}
            """
        try config.write(toFile: "\(directory)/config", atomically: true, encoding: .utf8)
        let main = try KubeCredentials.fromKubeconfig(path: "\(directory)/config", context: nil, allowInsecure: false)
        #expect(main.server == "https://10.1.2.3:6443")
        #expect(main.namespace == "sessions")
        #expect(try main.bearerToken() == "t0ken-value")
        #expect(main.certificateAuthorityPEM == Array("-----BEGIN CERTIFICATE-----\n".utf8))
        do {
            _ = try KubeCredentials.fromKubeconfig(path: "\(directory)/config", context: "lab", allowInsecure: false)
            Issue.record("an insecure cluster was accepted")
        } catch {
            #expect(error.code == .invalidArgument && error.message.contains("insecure-skip-tls-verify"), "\(error)")
            #expect(!error.message.contains("t0ken-value"))
        }
        let lab = try KubeCredentials.fromKubeconfig(path: "\(directory)/config", context: "lab", allowInsecure: true)
        #expect(lab.insecureSkipTLSVerify && lab.port == 443)
        #expect(throws: SessionError.self) { try KubeCredentials.fromKubeconfig(path: "\(directory)/config", context: "nope", allowInsecure: false) }
    }

    @Test("in-cluster credentials come from the service account and KUBERNETES_SERVICE_HOST/PORT")
    func inCluster() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kswift-sa-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "projected-token\n".write(toFile: "\(root)/token", atomically: true, encoding: .utf8)
        try "team-a\n".write(toFile: "\(root)/namespace", atomically: true, encoding: .utf8)
        let credentials = try KubeCredentials.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"], root: root)
        #expect(credentials.server == "https://10.96.0.1:443")
        #expect(credentials.namespace == "team-a")
        #expect(try credentials.bearerToken() == "projected-token")
        do {
            _ = try KubeCredentials.inCluster(environment: [:], root: root)
            Issue.record("credentials outside a cluster")
        } catch {
            #expect(error.code == .failedPrecondition)
        }
    }

    @Test("settings: pools, connection address and bad values")
    func settings() throws {
        let configuration = try KubernetesProvider.Configuration(settings: [
            "kubeconfig": "/etc/k", "namespace": "sessions", "pool.gpu.nodeSelector": "nvidia.com/gpu.present=true,zone=a",
            "pool.gpu.tolerations": "nvidia.com/gpu:NoSchedule,dedicated=ml", "connectionAddress": "podIP", "maxGPUs": "2",
        ])
        #expect(configuration.credentials == .kubeconfig(path: "/etc/k", context: nil))
        #expect(configuration.pools["gpu"]?.nodeSelector == ["nvidia.com/gpu.present": "true", "zone": "a"])
        #expect(configuration.pools["gpu"]?.tolerations == [.init(key: "nvidia.com/gpu", effect: "NoSchedule"), .init(key: "dedicated", value: "ml")])
        #expect(configuration.connectionAddress == .podIP && configuration.maxGPUs == 2)
        for bad in [["namespace": "Bad_NS"], ["homeMountPath": "/workspace/data"], ["connectionAddress": "ingress"], ["sessionPort": "x"]] {
            #expect(throws: SessionError.self, "\(bad)") { try KubernetesProvider.Configuration(settings: bad) }
        }
    }

    @Test("objects: setting a member to null removes it; JSON round-trips with sorted keys")
    func objects() throws {
        var object: KubeObject = ["metadata": ["annotations": ["a": "1", "b": "2"]], "spec": ["replicas": 1, "ready": true]]
        object["metadata"]["annotations"]["a"] = nil
        #expect(object["metadata"]["annotations"].members.keys.sorted() == ["b"])
        #expect(String(decoding: object.json, as: UTF8.self) == #"{"metadata":{"annotations":{"b":"2"}},"spec":{"ready":true,"replicas":1}}"#)
        #expect(try KubeObject.parse(object.json) == object)
    }

    @Test("quantities")
    func quantities() {
        #expect(SessionObjects.cpu(500) == "500m" && SessionObjects.cpu(2000) == "2")
        #expect(SessionObjects.bytes(5 << 30) == "5Gi" && SessionObjects.bytes(256 << 20) == "256Mi" && SessionObjects.bytes(1000) == "1000")
        #expect(KubernetesProvider.parseQuantity("5Gi") == 5 << 30 && KubernetesProvider.parseQuantity("1G") == 1_000_000_000)
        #expect(KubernetesProvider.parseQuantity("1234") == 1234)
    }

    @Test("API errors map to session errors by status and reason")
    func errors() {
        let notFound = KubeAPIError.parse(status: 404, body: Array(#"{"kind":"Status","reason":"NotFound","message":"pods \"x\" not found","code":404}"#.utf8))
        #expect(notFound.isNotFound && notFound.sessionError("reading").code == .notFound)
        let invalid = KubeAPIError.parse(
            status: 422,
            body: Array(#"{"kind":"Status","reason":"Invalid","message":"bad","details":{"causes":[{"field":"spec.replicas","message":"must be >= 0"}]},"code":422}"#.utf8))
        let error = invalid.sessionError("creating")
        #expect(error.code == .invalidArgument && error.message.contains("spec.replicas: must be >= 0"), "\(error.message)")
        #expect(KubeAPIError.parse(status: 409, body: Array(#"{"reason":"AlreadyExists"}"#.utf8)).isAlreadyExists)
        #expect(KubeAPIError.parse(status: 409, body: Array(#"{"reason":"Conflict"}"#.utf8)).isConflict)
        #expect(KubeAPIError.parse(status: 503, body: []).sessionError("x").code == .unavailable)
        #expect(KubeAPIError.parse(status: 403, body: []).sessionError("x").message.contains("deploy/kubernetes/rbac.yaml"))
    }

    // MARK: State mapping

    static func statefulSet(replicas: Int64, paused: Bool = false) -> KubeObject {
        var object: KubeObject = ["metadata": ["name": "sgw-x"], "spec": ["replicas": .int(replicas)]]
        if paused { object["metadata"]["annotations"][KubeNames.pausedAnnotation] = "true" }
        return object
    }

    static func pod(waiting: String? = nil, message: String = "", running: Bool = false, ready: Bool = false, unschedulable: String? = nil) -> KubeObject {
        var container: KubeObject = ["name": "session"]
        if let waiting { container["state"] = ["waiting": ["reason": .string(waiting), "message": .string(message)]] }
        if running { container["state"] = ["running": ["startedAt": "2026-01-01T00:00:00Z"]] }
        var conditions: [KubeObject] = [["type": "Ready", "status": .string(ready ? "True" : "False")]]
        if let unschedulable {
            conditions.append(["type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(unschedulable)])
        }
        return [
            "metadata": ["name": "sgw-x-0", "uid": "u1"], "spec": ["containers": [["name": "session", "image": "does-not-exist:1"]]],
            "status": ["phase": .string(running ? "Running" : "Pending"), "containerStatuses": [container], "conditions": .array(conditions)],
        ]
    }

    @Test("StatefulSet and pod states map to canonical states with reasons")
    func stateMapping() {
        func state(_ statefulSet: KubeObject, _ pod: KubeObject?, events: [KubeObject] = []) -> (SessionState, String) {
            PodObservation(statefulSet: statefulSet, pod: pod, homeClaim: nil, events: events).state
        }
        #expect(state(Self.statefulSet(replicas: 1), nil).0 == .pending)
        #expect(state(Self.statefulSet(replicas: 0), nil).0 == .pending, "a create that has not scaled up")
        #expect(state(Self.statefulSet(replicas: 0, paused: true), Self.pod(running: true)).0 == .pausing)
        #expect(state(Self.statefulSet(replicas: 0, paused: true), nil).0 == .paused)
        #expect(state(Self.statefulSet(replicas: 1), Self.pod(running: true)).0 == .starting)
        #expect(state(Self.statefulSet(replicas: 1), Self.pod(running: true, ready: true)).0 == .running)
        let pull = state(Self.statefulSet(replicas: 1), Self.pod(waiting: "ErrImagePull", message: "manifest unknown"))
        #expect(pull.0 == .failed && pull.1.contains("does-not-exist:1") && pull.1.contains("manifest unknown"), "\(pull.1)")
        let event: KubeObject = [
            "reason": "FailedScheduling", "message": "0/1 nodes are available: 1 Insufficient cpu.", "involvedObject": ["kind": "Pod"],
        ]
        let unschedulable = state(Self.statefulSet(replicas: 1), Self.pod(waiting: "ContainerCreating", unschedulable: "0/1 nodes"), events: [event])
        #expect(unschedulable.0 == .pending && unschedulable.1.contains("1 Insufficient cpu"), "\(unschedulable.1)")
        let pulling: KubeObject = ["reason": "Pulling", "message": "Pulling image \"python:3.12\"", "involvedObject": ["kind": "Pod"]]
        let progress = state(Self.statefulSet(replicas: 1), Self.pod(waiting: "ContainerCreating"), events: [pulling])
        #expect(progress.0 == .pending && progress.1.contains("pulling the image"), "\(progress.1)")
    }
}
