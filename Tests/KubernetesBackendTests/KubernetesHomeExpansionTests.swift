@testable import KubernetesBackend
import Foundation
import SessionSDK
import Testing

extension KubernetesEmulatorTests {
    /// Growing homes on Kubernetes (`expandHomes`): resizeHome raises the home claim's
    /// request; the emulator's resizer and kubelet expand it online through the
    /// conditions a cluster reports; claims never shrink, and the API server refuses a
    /// smaller request.
    @Suite("Kubernetes home expansion, on the API emulator")
    struct HomeExpansion {
        @Test("a home claim grows online (the resizer, then the kubelet) and never shrinks")
        func expansion() async throws {
            let kube = try await KubeFixture.start("grow")
            #expect(try kube.provider().capabilities.contains(.growingHome) == false, "only with expandHomes")
            var configuration = kube.configuration()
            configuration.expandHomes = true
            let provider = try kube.provider(configuration)
            #expect(provider.capabilities.contains(.growingHome))
            let created = try await provider.createSession(KubeFixture.request(SessionID(rawValue: "grow-\(KubeFixture.tag())")))
            let running = try await KubeFixture.wait(provider, created.handle) { $0.state == .running }
            try #require(running.state == .running, "\(running.reason)")

            #expect(try await provider.resizeHome(created.handle, toBytes: 3 << 30) == 3 << 30)
            let claimName = try KubeHandle(created.handle).names.homeClaim
            var conditions: Set<String> = []
            let deadline = ContinuousClock.now + .seconds(30)
            var capacity = ""
            while ContinuousClock.now < deadline {
                let claim = try #require(try await kube.client.get(.persistentVolumeClaims, namespace: kube.namespace, name: claimName, what: "reading the claim"))
                conditions.formUnion(claim["status"]["conditions"].array.compactMap { $0["type"].string })
                capacity = claim["status"]["capacity"]["storage"].string ?? ""
                if capacity == "3072Mi" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(capacity == "3072Mi")
            #expect(!conditions.isEmpty && conditions.isSubset(of: ["Resizing", "FileSystemResizePending"]), "\(conditions)")
            let reasons = try await kube.client.list(
                .events, namespace: kube.namespace, fieldSelector: "involvedObject.name=\(claimName)", what: "reading events"
            ).items.compactMap { $0["reason"].string }
            #expect(reasons.contains("Resizing") && reasons.contains("FileSystemResizeSuccessful"), "\(reasons)")
            #expect(try await provider.resizeHome(created.handle, toBytes: 1 << 30) == 3 << 30, "claims never shrink")

            let smaller = await #expect(throws: SessionError.self) {
                _ = try await kube.client.update(.persistentVolumeClaims, namespace: kube.namespace, name: claimName, what: "shrinking") { claim in
                    claim["spec"]["resources"]["requests"]["storage"] = "1Gi"
                    return true
                }
            }
            #expect(smaller?.code == .invalidArgument, "\(String(describing: smaller))")
            let validations = try await kube.validations()
            #expect(!validations.isEmpty && validations.allSatisfy { $0["valid"].bool == true }, "\(validations)")
            try await provider.deleteSession(created.handle)
            await kube.finish()
        }
    }
}
