@testable import KubernetesBackend
import Foundation
import Logging
import SessionSDK
import Testing

/// Session pods and the Pod Security Standards: the checker
/// (`Support/PodSecurityStandards.swift`) catches what breaks each level, every pod
/// template the backend builds passes `restricted` unless the environment opts out
/// (`podSecurity`), and `file://` data-links become `hostPath` volumes only inside the
/// environment's `hostPathRoots` at `podSecurity: privileged`.
@Suite("Pod Security Standards of the Kubernetes backend's pods")
struct KubernetesPodSecurityTests {
    // MARK: The checker

    /// A pod template that passes `restricted`.
    static func compliantTemplate() -> KubeObject {
        [
            "metadata": ["labels": ["app": "x"]],
            "spec": [
                "automountServiceAccountToken": false,
                "securityContext": [
                    "runAsNonRoot": true, "runAsUser": 1000, "runAsGroup": 1000, "fsGroup": 1000,
                    "seccompProfile": ["type": "RuntimeDefault"],
                ],
                "initContainers": [[
                    "name": "init", "image": "busybox:1",
                    "securityContext": ["allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]]],
                ]],
                "containers": [[
                    "name": "main", "image": "python:3.12", "ports": [["containerPort": 8888]],
                    "securityContext": [
                        "allowPrivilegeEscalation": false, "runAsNonRoot": true, "privileged": false,
                        "capabilities": ["drop": ["ALL"], "add": ["NET_BIND_SERVICE"]],
                    ],
                ]],
                "volumes": [
                    ["name": "home", "persistentVolumeClaim": ["claimName": "home"]],
                    ["name": "tmp", "emptyDir": [:]],
                    ["name": "config", "configMap": ["name": "c"]],
                ],
            ],
        ]
    }

    @Test("the checker passes a compliant pod template, as a template, a Pod and a StatefulSet")
    func checkerPassesCompliant() {
        let template = Self.compliantTemplate()
        #expect(PodSecurityStandards.violations(of: template) == [])
        var pod = template
        pod["kind"] = "Pod"
        #expect(PodSecurityStandards.violations(of: pod) == [])
        let statefulSet: KubeObject = ["kind": "StatefulSet", "spec": ["template": template]]
        #expect(PodSecurityStandards.violations(of: statefulSet) == [])
        #expect(PodSecurityStandards.projectViolations(of: statefulSet) == [])
        #expect(PodSecurityStandards.violations(of: ["kind": "Service", "spec": ["ports": []]]).count == 1, "an object without a pod is not a pass")
    }

    @Test("the checker reports each broken rule: privileged, no seccomp, hostPath, added SYS_ADMIN, runAsUser 0, and the rest")
    func checkerCatchesViolations() {
        var template = Self.compliantTemplate()
        var spec = template["spec"]
        spec["hostNetwork"] = true
        spec["hostPID"] = true
        spec["automountServiceAccountToken"] = nil
        spec["securityContext"]["seccompProfile"] = nil
        spec["securityContext"]["runAsUser"] = 0
        spec["securityContext"]["sysctls"] = [["name": "kernel.msgmax", "value": "65536"]]
        var main = spec["containers"].array[0]
        main["securityContext"]["privileged"] = true
        main["securityContext"]["capabilities"]["add"] = ["NET_BIND_SERVICE", "SYS_ADMIN"]
        main["securityContext"]["runAsUser"] = 0
        main["ports"] = [["containerPort": 8888, "hostPort": 8888]]
        var sidecar: KubeObject = ["name": "sidecar", "image": "busybox:1"]   // no securityContext at all
        sidecar["securityContext"]["seccompProfile"]["type"] = "Unconfined"
        spec["containers"] = [main, sidecar]
        var initContainer = spec["initContainers"].array[0]
        initContainer["securityContext"]["allowPrivilegeEscalation"] = true
        initContainer["securityContext"]["runAsNonRoot"] = false
        initContainer["securityContext"]["capabilities"] = nil
        spec["initContainers"] = [initContainer]
        spec["volumes"] = .array(spec["volumes"].array + [
            ["name": "node", "hostPath": ["path": "/var/lib/kubelet", "type": "Directory"]],
            ["name": "nfs", "nfs": ["server": "nfs.example", "path": "/export"]],
        ])
        template["spec"] = spec

        let restricted = PodSecurityStandards.violations(of: template)
        let found = Set(restricted.map { "\($0.control) \($0.field)" })
        let expected: [String] = [
            // Baseline rules.
            "Host Namespaces spec.hostNetwork",
            "Host Namespaces spec.hostPID",
            "Privileged Containers spec.containers[0].securityContext.privileged",
            "Capabilities spec.containers[0].securityContext.capabilities.add[1]",
            "HostPath Volumes spec.volumes[3].hostPath",
            "Host Ports spec.containers[0].ports[0].hostPort",
            "Seccomp spec.containers[1].securityContext.seccompProfile.type",
            "Sysctls spec.securityContext.sysctls[0].name",
            // Restricted rules.
            "Volume Types spec.volumes[3].hostPath",
            "Volume Types spec.volumes[4].nfs",
            "Privilege Escalation spec.initContainers[0].securityContext.allowPrivilegeEscalation",
            "Privilege Escalation spec.containers[1].securityContext.allowPrivilegeEscalation",
            "Running as Non-root spec.initContainers[0].securityContext.runAsNonRoot",
            "Running as Non-root user spec.securityContext.runAsUser",
            "Running as Non-root user spec.containers[0].securityContext.runAsUser",
            "Seccomp spec.initContainers[0].securityContext.seccompProfile.type",
            "Seccomp spec.containers[0].securityContext.seccompProfile.type",
            "Capabilities spec.initContainers[0].securityContext.capabilities.drop",
            "Capabilities spec.containers[1].securityContext.capabilities.drop",
            "Capabilities spec.containers[0].securityContext.capabilities.add[1]",
        ]
        for violation in expected {
            #expect(found.contains(violation), "not reported: \(violation); reported: \(restricted)")
        }
        // The sidecar inherits runAsNonRoot from the pod; the main container's added
        // NET_BIND_SERVICE is allowed: neither is reported.
        #expect(!found.contains("Running as Non-root spec.containers[1].securityContext.runAsNonRoot"), "\(restricted)")
        #expect(!found.contains("Capabilities spec.containers[0].securityContext.capabilities.add[0]"), "\(restricted)")
        #expect(PodSecurityStandards.projectViolations(of: template).map(\.field) == ["spec.automountServiceAccountToken"])

        // At baseline, the restricted-only rules are not reported, the baseline ones are.
        let baseline = Set(PodSecurityStandards.violations(of: template, level: .baseline).map(\.control))
        #expect(baseline == ["Host Namespaces", "Privileged Containers", "Capabilities", "HostPath Volumes", "Host Ports", "Seccomp", "Sysctls"])
        #expect(PodSecurityStandards.violations(of: template, level: .privileged) == [])

        // One rule broken at a time is each caught on its own.
        let single: [(String, (inout KubeObject) -> Void)] = [
            ("Privileged Containers", { $0["spec"]["containers"] = [Self.withContext($0, "privileged", true)] }),
            ("Seccomp", { $0["spec"]["securityContext"]["seccompProfile"] = nil }),
            ("Volume Types", { $0["spec"]["volumes"] = [["name": "h", "hostPath": ["path": "/etc"]]] }),
            ("Capabilities", { $0["spec"]["containers"] = [Self.withContext($0, "capabilities", ["drop": ["ALL"], "add": ["SYS_ADMIN"]])] }),
            ("Running as Non-root user", { $0["spec"]["securityContext"]["runAsUser"] = 0 }),
            ("Running as Non-root", { $0["spec"]["securityContext"]["runAsNonRoot"] = nil }),
            ("Privilege Escalation", { $0["spec"]["containers"] = [Self.withContext($0, "allowPrivilegeEscalation", nil)] }),
            ("Host Namespaces", { $0["spec"]["hostIPC"] = true }),
        ]
        for (control, breakRule) in single {
            var broken = Self.compliantTemplate()
            breakRule(&broken)
            let violations = PodSecurityStandards.violations(of: broken)
            #expect(!violations.isEmpty && violations.contains { $0.control == control }, "\(control) not caught: \(violations)")
        }
    }

    /// The compliant template's main container with one security context field set.
    static func withContext(_ template: KubeObject, _ key: String, _ value: KubeObject) -> KubeObject {
        var container = template["spec"]["containers"].array[0]
        container["securityContext"][key] = value
        return container
    }

    // MARK: What the backend builds

    /// Requests of different shapes: the golden one (GPU pool, S3 links each way,
    /// secrets, duration), a minimal one, and one with an existing home and data volume.
    static func requests() throws -> [ProviderSessionRequest] {
        var minimal = KubeFixture.request(SessionID(rawValue: "s-minimal"))
        minimal.durationLimit = nil
        var claims = KubeFixture.request(SessionID(rawValue: "s-claims"))
        claims.homeVolume = .existing("team-home")
        claims.dataVolumes = [SessionSpec.DataVolume(source: "shared", mountPath: "/mnt/shared", readOnly: true)]
        return [try KubernetesGoldenTests.request(), minimal, claims]
    }

    @Test("every pod template the backend builds passes the restricted profile by default, with no service account token")
    func templatesPassRestricted() throws {
        let configuration = KubernetesGoldenTests.configuration()
        #expect(configuration.podSecurity == .restricted && configuration.hostPathRoots.isEmpty)
        for request in try Self.requests() {
            let objects = SessionObjects(request: request, configuration: configuration, namespace: "sessions")
            for (what, object) in [("StatefulSet", objects.statefulSet(replicas: 1)), ("paused StatefulSet", objects.statefulSet(replicas: 0))] {
                let violations = PodSecurityStandards.violations(of: object) + PodSecurityStandards.projectViolations(of: object)
                #expect(violations == [], "\(what) of \(request.sessionID): \(violations)")
            }
            let context = objects.podTemplate()["spec"]["securityContext"]
            #expect(context["runAsUser"].int == 1000 && context["runAsGroup"].int == 1000 && context["fsGroup"].int == 1000, "\(context)")
        }
        // With the session agent's init container and volume too.
        for request in try Self.requests() {
            let agent = KubernetesGoldenTests.agentObjects(request).statefulSet(replicas: 1)
            let violations = PodSecurityStandards.violations(of: agent) + PodSecurityStandards.projectViolations(of: agent)
            #expect(violations == [], "StatefulSet with the agent of \(request.sessionID): \(violations)")
        }
        // The golden files themselves (what is validated against the official schemas).
        for name in ["statefulset", "statefulset-agent"] {
            let golden = try KubeObject.parse(Array(try String(contentsOfFile: "\(KubernetesGoldenTests.directory)/\(name).json", encoding: .utf8).utf8))
            #expect(PodSecurityStandards.violations(of: golden) == [], "Golden/\(name).json breaks the restricted profile")
        }
    }

    @Test("podSecurity: baseline runs the image's user and passes baseline (not restricted); privileged adds only hostPath volumes")
    func optOutLevels() throws {
        var baseline = KubernetesGoldenTests.configuration()
        baseline.podSecurity = .baseline
        for request in try Self.requests() {
            let template = SessionObjects(request: request, configuration: baseline, namespace: "sessions").statefulSet(replicas: 1)
            #expect(PodSecurityStandards.violations(of: template, level: .baseline) == [])
            #expect(PodSecurityStandards.projectViolations(of: template) == [])
            #expect(!PodSecurityStandards.violations(of: template, level: .restricted).isEmpty, "baseline is an opt-out of restricted")
            #expect(template["spec"]["template"]["spec"]["securityContext"]["runAsUser"].isNull)
        }
        var privileged = baseline
        privileged.podSecurity = .privileged
        privileged.hostPathRoots = ["/srv/shared"]
        var request = try KubernetesGoldenTests.request()
        request.dataLinks.append(try Self.fileLink("file:///srv/shared/projects/a", name: "projects"))
        let template = SessionObjects(request: request, configuration: privileged, namespace: "sessions").statefulSet(replicas: 1)
        let violations = PodSecurityStandards.violations(of: template, level: .baseline)
        #expect(!violations.isEmpty && violations.allSatisfy { $0.control == "HostPath Volumes" }, "\(violations)")
        #expect(template["spec"]["template"]["spec"]["containers"].array[0]["securityContext"]["privileged"].bool == false)
    }

    /// A `file://` data-link mount, read-only unless `writable` lists a directory containing it.
    static func fileLink(_ location: String, name: String, writable: [String] = []) throws -> DataLinkMount {
        let environment = ComputeEnvironment(id: "k8s", backend: "kubernetes", writableBuckets: writable)
        let link = DataLink(id: "dl-\(name)", workspace: .default, name: name, location: try DataLinkRules.parseLocation(location))
        return try DataLinkRules.mounts(for: [link], in: environment)[0]
    }

    @Test("an allowed file:// link is a hostPath volume of its root, mounted by subPath, read-only unless writable")
    func hostPathVolume() throws {
        var configuration = KubernetesGoldenTests.configuration()
        configuration.podSecurity = .privileged
        configuration.hostPathRoots = ["/srv/shared", "/srv/shared/big", "/scratch"]
        var request = KubeFixture.request(SessionID(rawValue: "s-host"))
        request.dataLinks = [
            try Self.fileLink("file:///srv/shared/projects/a", name: "projects"),
            try Self.fileLink("file:///srv/shared/big/genomes", name: "genomes"),
            try Self.fileLink("file:///scratch", name: "scratch", writable: ["/scratch"]),
        ]
        let provider = try Self.offlineProvider(configuration)
        try provider.validate(request)
        let spec = SessionObjects(request: request, configuration: configuration, namespace: "sessions").podTemplate()["spec"]
        let volumes = spec["volumes"].array.filter { !$0["hostPath"].isNull }
        #expect(volumes.map { $0["hostPath"]["path"].string ?? "" } == ["/srv/shared", "/srv/shared/big", "/scratch"], "the longest root that contains the path")
        #expect(volumes.allSatisfy { $0["hostPath"]["type"].string == "Directory" })
        let mounts = spec["containers"].array[0]["volumeMounts"].array.filter { $0["mountPath"].string?.hasPrefix("/workspace/data/") == true }
        #expect(mounts.map { $0["subPath"].string ?? "-" } == ["projects/a", "genomes", "-"])
        #expect(mounts.map { $0["readOnly"].bool } == [true, true, false])
    }

    /// A provider that never reaches a server (its kubeconfig points nowhere): for
    /// checks made before any call.
    static func offlineProvider(_ configuration: KubernetesProvider.Configuration) throws -> KubernetesProvider {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kswift-psa-\(UUID().uuidString)").path
        try """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: u, user: {token: "t"}}]
            contexts: [{name: c, context: {cluster: c, user: u, namespace: sessions}}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = configuration
        configuration.credentials = .kubeconfig(path: path, context: nil)
        return try KubernetesProvider(configuration: configuration, logger: .init(label: "psa") { _ in SwiftLogNoOpLogHandler() })
    }

    @Test("a file:// link is FAILED_PRECONDITION naming its path and the setting to change, unless privileged and inside hostPathRoots")
    func fileLinkRefused() throws {
        let link = try Self.fileLink("file:///var/lib/kubelet", name: "kubelet")
        var request = KubeFixture.request(SessionID(rawValue: "s-file"))
        request.dataLinks = [link]
        var privileged = KubernetesGoldenTests.configuration()
        privileged.podSecurity = .privileged
        privileged.hostPathRoots = ["/var/lib/kube", "/data"]
        var baseline = KubernetesGoldenTests.configuration()
        baseline.podSecurity = .baseline
        let cases: [(KubernetesProvider.Configuration, [String])] = [
            (KubernetesGoldenTests.configuration(), ["'podSecurity' is 'restricted'", "'podSecurity: privileged'", "'hostPathRoots'"]),
            (baseline, ["'podSecurity' is 'baseline'", "'hostPathRoots'"]),
            (privileged, ["not under", "'hostPathRoots' (/var/lib/kube, /data)"]),
        ]
        for (configuration, phrases) in cases {
            let provider = try Self.offlineProvider(configuration)
            do {
                try provider.validate(request)
                Issue.record("file:///var/lib/kubelet was accepted at \(configuration.podSecurity)")
            } catch {
                #expect(error.code == .failedPrecondition, "\(error)")
                for phrase in phrases + ["/var/lib/kubelet", "dl-kubelet", "hostPath"] {
                    #expect(error.message.contains(phrase), "'\(phrase)' not in: \(error.message)")
                }
            }
            // The objects built for such a request would hold no hostPath either.
            let spec = SessionObjects(request: request, configuration: configuration, namespace: "sessions").podTemplate()["spec"]
            #expect(!spec["volumes"].array.contains { !$0["hostPath"].isNull })
        }
        privileged.hostPathRoots = ["/var/lib/kubelet"]
        try Self.offlineProvider(privileged).validate(request)
    }

    @Test("the sessions' namespace manifest is valid and has Pod Security admission enforce the default level, restricted")
    func namespaceManifest() throws {
        let path = TestTools.repositoryPath("deploy/kubernetes/namespace.yaml")
        let validation = try TestTools.validate([path])
        #expect(validation.valid && validation.report.contains(" Namespace/sessions"), "\(validation.report)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let level = KubernetesProvider.Configuration(credentials: .inCluster).podSecurity.rawValue
        for mode in ["enforce", "warn", "audit"] {
            #expect(text.contains("pod-security.kubernetes.io/\(mode): \(level)\n"), "\(mode) is not \(level)")
        }
    }

    @Test("settings: podSecurity, hostPathRoots, runAsUser/runAsGroup/fsGroup, and what is refused")
    func settings() throws {
        let defaults = try KubernetesProvider.Configuration(settings: [:])
        #expect(defaults.podSecurity == .restricted && defaults.hostPathRoots == [])
        #expect(defaults.runAsUser == 1000 && defaults.runAsGroup == 1000 && defaults.fsGroup == 1000)
        let opted = try KubernetesProvider.Configuration(settings: [
            "podSecurity": "privileged", "hostPathRoots": "/data, /scratch/team", "runAsUser": "1001", "runAsGroup": "100",
        ])
        #expect(opted.podSecurity == .privileged && opted.hostPathRoots == ["/data", "/scratch/team"])
        #expect(opted.runAsUser == 1001 && opted.runAsGroup == 100 && opted.fsGroup == 100)
        #expect(opted.hostPathRoot(containing: "/data/x") == "/data" && opted.hostPathRoot(containing: "/database") == nil)
        #expect(try KubernetesProvider.Configuration(settings: ["podSecurity": "baseline"]).podSecurity == .baseline)
        let refused: [([String: String], String)] = [
            (["hostPathRoots": "/data"], "needs 'podSecurity: privileged'"),
            (["hostPathRoots": "/data", "podSecurity": "baseline"], "needs 'podSecurity: privileged'"),
            (["podSecurity": "privileged", "hostPathRoots": "/"], "hostPathRoots"),
            (["podSecurity": "privileged", "hostPathRoots": "data"], "hostPathRoots"),
            (["podSecurity": "privileged", "hostPathRoots": "/data/../etc"], "hostPathRoots"),
            (["podSecurity": "privileged", "hostPathRoots": "/data/"], "hostPathRoots"),
            (["podSecurity": "none"], "podSecurity"),
            (["runAsUser": "0"], "runAsUser"),
            (["fsGroup": "0"], "fsGroup"),
        ]
        for (settings, phrase) in refused {
            do {
                _ = try KubernetesProvider.Configuration(settings: settings)
                Issue.record("\(settings) was accepted")
            } catch {
                #expect(error.code == .invalidArgument && error.message.contains(phrase), "\(settings): \(error.message)")
            }
        }
    }
}

extension KubernetesEmulatorTests {
    /// `file://` data-links on the API emulator: refused before anything is sent, or
    /// mounted from an allowed root.
    @Suite("Kubernetes hostPath data-links, on the API emulator")
    struct HostPathLinks {
        @Test("a file:// link outside the allowlist is refused before any object is made; nothing is sent to the API server")
        func refusedBeforeAnything() async throws {
            let kube = try await KubeFixture.start("hp-no")
            let root = "\(kube.state)/hostpath-\(kube.namespace)"
            try FileManager.default.createDirectory(atPath: "\(root)/allowed", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: "\(root)/allowed-not", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: root) }
            var privileged = kube.configuration()
            privileged.podSecurity = .privileged
            privileged.hostPathRoots = ["\(root)/allowed"]
            for (configuration, location) in [
                (kube.configuration(), "file://\(root)/allowed"), (privileged, "file://\(root)/allowed-not"), (privileged, "file:///etc"),
            ] {
                let provider = try kube.provider(configuration)
                var request = KubeFixture.request(SessionID(rawValue: "hp-\(KubeFixture.tag())"))
                request.dataLinks = [try KubernetesPodSecurityTests.fileLink(location, name: "host")]
                do {
                    _ = try await provider.createSession(request)
                    Issue.record("\(location) was accepted at \(configuration.podSecurity)")
                } catch let error as SessionError {
                    #expect(error.code == .failedPrecondition, "\(error)")
                    #expect(error.message.contains(String(location.dropFirst("file://".count))) && error.message.contains("hostPathRoots"), "\(error.message)")
                }
            }
            for resource in [KubeResource.statefulSets, .pods, .secrets, .persistentVolumeClaims, .services] {
                let items = try await kube.client.list(resource, namespace: kube.namespace, what: "listing").items
                #expect(items.isEmpty, "\(resource.kind): \(items.map { $0["metadata"]["name"].string ?? "" })")
            }
            #expect(try await kube.validations().isEmpty, "objects were sent for a refused request")
            await kube.finish()
        }

        @Test("a file:// link inside the allowlist of a privileged environment is a hostPath volume the session reads, read-only")
        func allowedLinkMounts() async throws {
            let kube = try await KubeFixture.start("hp-yes")
            let root = "\(kube.state)/hostpath-\(kube.namespace)"
            try FileManager.default.createDirectory(atPath: "\(root)/projects/a", withIntermediateDirectories: true)
            try "on the node\n".write(toFile: "\(root)/projects/a/readme.txt", atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: root) }
            var configuration = kube.configuration()
            configuration.podSecurity = .privileged
            configuration.hostPathRoots = [root]
            let provider = try kube.provider(configuration)
            let audit = PodSecurityAudit(kube, level: .baseline)
            var request = KubeFixture.request(SessionID(rawValue: "hp-\(KubeFixture.tag())"))
            request.dataLinks = [try KubernetesPodSecurityTests.fileLink("file://\(root)/projects/a", name: "projects")]
            let created = try await provider.createSession(request)
            let running = try await KubeFixture.wait(provider, created.handle) { $0.state == .running || $0.state == .failed }
            try #require(running.state == .running, "\(running.reason)")

            let names = KubeNames(sessionID: request.sessionID)
            let statefulSet = try #require(try await kube.client.get(.statefulSets, namespace: kube.namespace, name: names.statefulSet, what: "reading"))
            let spec = statefulSet["spec"]["template"]["spec"]
            let volume = try #require(spec["volumes"].array.first { !$0["hostPath"].isNull })
            #expect(volume["hostPath"]["path"].string == root)
            let mount = try #require(spec["containers"].array[0]["volumeMounts"].array.first { $0["name"] == volume["name"] })
            #expect(mount["subPath"].string == "projects/a" && mount["mountPath"].string == "/workspace/data/projects" && mount["readOnly"].bool == true)

            let read = try await provider.execute(["cat", "/workspace/data/projects/readme.txt"], in: created.handle)
            #expect(read.exitCode == 0 && read.output == "on the node\n", "\(read)")
            let write = try await provider.execute(["sh", "-c", "echo x > /workspace/data/projects/new.txt"], in: created.handle)
            #expect(write.exitCode != 0, "a read-only hostPath link accepted a write")

            let findings = await audit.finish(kube, level: .baseline)
            let unexpected = findings.violations.filter { !$0.contains("HostPath Volumes") }
            #expect(unexpected.isEmpty, "beyond the hostPath volume: \(unexpected.sorted())")
            #expect(findings.checked.contains { $0.hasPrefix("Pod/") } && findings.checked.contains { $0.hasPrefix("StatefulSet/") }, "\(findings)")
            let invalid = try await kube.validations().filter { $0["valid"].bool != true }
            #expect(invalid.isEmpty, "\(invalid)")
            try await provider.deleteSession(created.handle)
            await kube.finish()
        }
    }
}
