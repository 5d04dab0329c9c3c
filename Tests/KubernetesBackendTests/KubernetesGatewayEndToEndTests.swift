@testable import KubernetesBackend
import Foundation
import SessionAPI
import SessionSDK
import SessionTestSupport
import Testing

extension KubernetesEmulatorTests {
    /// The Kubernetes backend behind a whole gateway, called over gRPC only: a session
    /// from a preset is a StatefulSet with a PVC home in the test's namespace of the API
    /// emulator, opened through the gateway's connection proxy, paused to zero replicas
    /// with its home kept, recovered by a restarted gateway, and deleted without a trace.
    @Suite("Kubernetes backend through the gateway, on the API emulator")
    struct KubernetesGatewayEndToEndTests {
        @Test("create → PENDING/STARTING with progress → RUNNING → write → pause (0 replicas, home kept) → resume with the file → gateway restart → delete, leaving nothing")
        func lifecycle() async throws {
            try await KubernetesGatewayFixture.run { fixture in
                let (id, notes, uid) = try await fixture.serve { gateway in
                    let created = try await gateway.create("analysis")
                    #expect(created.state == .pending || created.state == .starting, "\(created.state): \(created.stateReason)")
                    #expect(!created.stateReason.isEmpty, "a starting session says what the cluster is doing")
                    let started = try await gateway.wait(created.id) { $0.state == .running || $0.state == .failed }
                    try #require(started.session.state == .running, "\(started.session.stateReason)")
                    #expect(started.states.contains(.starting), "RUNNING only after STARTING: \(started.states)")
                    #expect(started.states.allSatisfy { [.pending, .starting, .running].contains($0) }, "\(started.states)")

                    // What the cluster was doing is in the activity log, with the states (the
                    // event of a change is appended just after the change is stored).
                    _ = try await eventually(timeout: .seconds(10), interval: .milliseconds(200)) {
                        try await gateway.events(created.id).contains { $0.type == .stateChanged && $0.toState == .running }
                    }
                    let changes = try await gateway.events(created.id).filter { $0.type == .stateChanged }
                    let log = changes.map(\.message)
                    #expect(
                        changes.contains { $0.fromState == .pending && $0.toState == .starting && $0.message.contains("waiting for the IDE") },
                        "\(log)")
                    #expect(changes.last.map { $0.fromState == .starting && $0.toState == .running } == true, "\(log)")

                    // One StatefulSet at one replica, and its home claim.
                    let statefulSet = try #require(try await fixture.statefulSet(of: created.id))
                    #expect(statefulSet["spec"]["replicas"].int == 1)
                    #expect(PodSecurityStandards.violations(of: statefulSet) == [], "the preset's pod breaks the restricted profile")
                    let uid = try #require(statefulSet["metadata"]["uid"].string)
                    #expect(try await fixture.homeClaim(of: created.id) != nil)

                    // A file written in the home through the gateway's connection proxy.
                    let notes = "written \(UUID().uuidString)\n"
                    let written = try await gateway.ide(created.id, "PUT", "notes.txt", body: notes)
                    #expect(written.status == 201, "PUT notes.txt: \(written.status) \(written.body)")
                    let read = try await gateway.ide(created.id, "GET", "notes.txt")
                    #expect(read.status == 200 && read.body == notes, "GET notes.txt: \(read.status) \(read.body)")

                    // Pause: zero replicas, no pod, the home claim kept.
                    try await gateway.pause(created.id)
                    _ = try await gateway.wait(created.id) { $0.state == .paused }
                    let paused = try #require(try await fixture.statefulSet(of: created.id))
                    #expect(paused["spec"]["replicas"].int == 0, "replicas while paused: \(paused["spec"]["replicas"])")
                    #expect(paused["metadata"]["uid"].string == uid)
                    let claim = try #require(try await fixture.homeClaim(of: created.id), "the home claim is kept while paused")
                    #expect(claim["metadata"]["deletionTimestamp"].isNull)
                    let pods = try await fixture.labelledObjects(of: created.id).filter { $0.hasPrefix("Pod/") }
                    #expect(pods.isEmpty, "no pod while paused: \(pods)")

                    // Resume: the same StatefulSet scaled back, the same home.
                    try await gateway.resume(created.id)
                    let resumed = try await gateway.wait(created.id) { $0.state == .running || $0.state == .failed }
                    try #require(resumed.session.state == .running, "\(resumed.session.stateReason)")
                    let again = try await gateway.ide(created.id, "GET", "notes.txt")
                    #expect(again.status == 200 && again.body == notes, "after resume: \(again.status) \(again.body)")
                    #expect(try await fixture.statefulSet(of: created.id)?["metadata"]["uid"].string == uid)
                    return (created.id, notes, uid)
                }

                // A new gateway on the same data directory recovers the session from its
                // handle: the same StatefulSet, still RUNNING and reachable.
                try await fixture.serve { gateway in
                    let recovered = try await gateway.wait(id, timeout: .seconds(30)) { $0.state == .running }
                    #expect(recovered.session.state == .running)
                    let statefulSet = try #require(try await fixture.statefulSet(of: id))
                    #expect(statefulSet["metadata"]["uid"].string == uid, "the restarted gateway made no new StatefulSet")
                    #expect(statefulSet["spec"]["replicas"].int == 1)
                    let read = try await gateway.ide(id, "GET", "notes.txt")
                    #expect(read.status == 200 && read.body == notes, "after the restart: \(read.status) \(read.body)")

                    // Delete removes everything labelled with the session, checkpoints included.
                    let before = try await fixture.labelledObjects(of: id)
                    for kind in ["StatefulSet", "Pod", "PersistentVolumeClaim", "Service", "Secret", "VolumeSnapshot"] {
                        #expect(before.contains { $0.hasPrefix(kind + "/") }, "no \(kind) labelled with the session before delete: \(before)")
                    }
                    try await gateway.delete(id)
                    try await gateway.waitUntilGone(id)
                    _ = try await eventually(timeout: .seconds(30), interval: .milliseconds(200)) { try await fixture.labelledObjects(of: id).isEmpty }
                    let left = try await fixture.labelledObjects(of: id)
                    #expect(left.isEmpty, "left in the namespace: \(left)")
                }

                // Every object the backend sent passed the emulator's strict schema validation.
                let validations = try await fixture.kube.validations()
                #expect(!validations.isEmpty, "the emulator recorded no validation of the backend's objects")
                let invalid = validations.filter { $0["valid"].bool != true }
                #expect(
                    invalid.isEmpty,
                    "objects the API server found invalid: \(invalid.map { "\($0["kind"].string ?? "")/\($0["name"].string ?? ""): \($0["message"].string ?? "")" })")
                let kinds = Set(validations.compactMap { $0["kind"].string })
                for kind in ["StatefulSet", "PersistentVolumeClaim", "Service", "Secret", "VolumeSnapshot"] {
                    #expect(kinds.contains(kind), "no \(kind) was validated; validated kinds: \(kinds.sorted())")
                }
            }
        }

        @Test("terminals: the agent comes from an init container, scrollback, exclusive attach, pause and resume, delete")
        func terminals() async throws {
            try await KubernetesGatewayFixture.run { fixture in
                try await fixture.serve { gateway in
                    let created = try await gateway.create("terminals")
                    let started = try await gateway.wait(created.id, timeout: .seconds(90)) { $0.state == .running || $0.state == .failed }
                    #expect(started.session.state == .running, "\(started.session.stateReason)")
                    let pod = try #require(try await fixture.statefulSet(of: created.id))["spec"]["template"]["spec"]
                    #expect(pod["initContainers"].array.map { $0["name"].string } == ["sessiongw-agent"])
                    try await TerminalScenario.run(gateway, session: created.id)
                    try await gateway.delete(created.id)
                    try await gateway.waitUntilGone(created.id)
                }
                let invalid = try await fixture.kube.validations().filter { $0["valid"].bool != true }
                #expect(invalid.isEmpty, "objects the API server found invalid: \(invalid.map { $0["message"].string ?? "" })")
            }
        }
    }
}
