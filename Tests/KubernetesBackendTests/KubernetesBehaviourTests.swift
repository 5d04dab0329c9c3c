@testable import KubernetesBackend
import Foundation
import SessionSDK
import Testing

extension KubernetesEmulatorTests {
    /// What the conformance kit does not cover: client-certificate credentials, edits
    /// applied at resume, and existing claims as homes and data volumes.
    @Suite("Kubernetes backend behaviours, on the API emulator")
    struct Behaviours {
        @Test("the kubeconfig's client-certificate context authenticates as well as the token")
        func clientCertificate() async throws {
            let kube = try await KubeFixture.start("cert")
            var configuration = kube.configuration()
            configuration.credentials = .kubeconfig(path: kube.kubeconfig, context: "cert")
            let provider = try kube.provider(configuration)
            let readiness = try await provider.probe()
            #expect(readiness.ready, "\(readiness.message)")
            #expect(try await provider.listSessions().isEmpty)
            await kube.finish()
        }

        @Test("a resume applies the request edited while paused: the new size is in the pod template, the session runs again at its new base path")
        func resumeAppliesEdits() async throws {
            let (kube, provider, running) = try await KubeFixture.running("edit")
            _ = try await provider.pauseSession(running.handle)
            #expect(try await KubeFixture.wait(provider, running.handle) { $0.state == .paused }.state == .paused)
            var edited = KubeFixture.request(running.sessionID)
            edited.resources = Resources(cpuMillis: 500, memoryBytes: 512 << 20)
            edited.environment = ["EDITED": "yes", Preset.baseURLVariable: "/sessions/default/\(running.sessionID)/"]
            _ = try await provider.resumeSession(running.handle, request: edited)
            let resumed = try await KubeFixture.wait(provider, running.handle) { $0.state == .running || $0.state == .failed }
            #expect(resumed.state == .running, "\(resumed.reason)")
            #expect(
                resumed.connection?.url.contains(":\(kube.configuration().sessionPort)/sessions/default/\(running.sessionID)/?token=") == true,
                "the connection URL is not at the IDE's base path: \(resumed.connection?.url ?? "none")")
            let names = KubeNames(sessionID: running.sessionID)
            let statefulSet = try #require(try await kube.client.get(.statefulSets, namespace: kube.namespace, name: names.statefulSet, what: "reading"))
            let container = statefulSet["spec"]["template"]["spec"]["containers"].array[0]
            #expect(container["resources"]["limits"]["cpu"].string == "500m" && container["resources"]["limits"]["memory"].string == "512Mi")
            #expect(PodSecurityStandards.violations(of: statefulSet) == [], "the template applied at resume breaks the restricted profile")
            let result = try await provider.execute(["sh", "-c", "echo $EDITED"], in: running.handle)
            #expect(result.exitCode == 0 && result.output == "yes\n", "\(result)")
            try await provider.deleteSession(running.handle)
            await kube.finish()
        }

        @Test("an existing claim serves as home (kept when the session is deleted) and as a read-only data volume")
        func existingClaims() async throws {
            let kube = try await KubeFixture.start("claims")
            let provider = try kube.provider()
            let audit = PodSecurityAudit(kube)
            let claim: KubeObject = [
                "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "team-home"],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
            ]
            _ = try await kube.client.create(.persistentVolumeClaims, namespace: kube.namespace, claim, what: "creating a claim")
            var first = KubeFixture.request(SessionID(rawValue: "home-\(KubeFixture.tag())"))
            first.homeVolume = .existing("team-home")
            let created = try await provider.createSession(first)
            #expect(try await KubeFixture.wait(provider, created.handle) { $0.state == .running || $0.state == .failed }.state == .running)
            let written = try await provider.execute(["sh", "-c", "echo kept > notes.txt"], in: created.handle)
            #expect(written.exitCode == 0, "\(written)")
            try await provider.deleteSession(created.handle)
            #expect(try await kube.client.get(.persistentVolumeClaims, namespace: kube.namespace, name: "team-home", what: "reading") != nil, "the existing claim is not the backend's to delete")

            var second = KubeFixture.request(SessionID(rawValue: "data-\(KubeFixture.tag())"))
            second.dataVolumes = [SessionSpec.DataVolume(source: "team-home", mountPath: "/mnt/team", readOnly: true)]
            let reader = try await provider.createSession(second)
            #expect(try await KubeFixture.wait(provider, reader.handle) { $0.state == .running || $0.state == .failed }.state == .running)
            let read = try await provider.execute(["cat", "/mnt/team/notes.txt"], in: reader.handle)
            #expect(read.exitCode == 0 && read.output == "kept\n", "\(read)")
            let refused = try await provider.execute(["sh", "-c", "echo no > /mnt/team/other.txt"], in: reader.handle)
            #expect(refused.exitCode != 0, "a read-only data volume accepted a write")
            let podSecurity = await audit.finish(kube)
            #expect(podSecurity.violations.isEmpty && podSecurity.checked.contains { $0.hasPrefix("Pod/") }, "\(podSecurity)")
            try await provider.deleteSession(reader.handle)
            await kube.finish()
        }
    }
}
