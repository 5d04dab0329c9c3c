import Foundation
import LocalBackend
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// Creating sessions through the real gateway pieces: the controller persists and
/// starts, the reconciler brings sessions to RUNNING on a real Local backend.
@Suite("Session controller: create")
struct SessionControllerCreateTests {
    @Test("the reconciler brings a new session to RUNNING; its URL serves /workspace; a START checkpoint and the activity log record it")
    func createReachesRunning() async throws {
        try await GatewayHarness.run { gateway in
            let created = try await gateway.create("train")
            #expect(created.name == "train")
            #expect(created.workspace == .default)
            #expect([.pending, .starting, .running].contains(created.state))
            #expect(created.handle?.rawValue == created.id.rawValue)
            #expect(gateway.backendDirectoryExists(created.id))

            try await gateway.withReconcilerRunning {
                let running = try await gateway.waitUntil(created.id, is: [.running])
                #expect(running.stateReason.contains("serving"))
                // The reconciler records the checkpoint, then its activity-log entry.
                try await gateway.eventually("a START checkpoint is taken and logged") {
                    try await gateway.store.events(session: created.id, workspace: .default).items.contains {
                        $0.type == "CHECKPOINT" && $0.message.contains("'start-")
                    }
                }
            }

            // The connection URL answers, and serves the session's own /workspace.
            let connection = try await gateway.controller.connection(workspace: .default, id: created.id)
            #expect(connection.url.hasPrefix("http://127.0.0.1:"))
            #expect(connection.url.contains("token=\(connection.accessToken)"))
            let index = try #require(LoopbackHTTP.get(connection.url), "nothing answers at \(connection.url)")
            #expect(index.status == 200)
            let session = try await gateway.store.session(id: created.id, workspace: .default)
            #expect(try await gateway.shell("echo hello-from-inside > note.txt", in: session).exitCode == 0)
            let base = String(connection.url.prefix { $0 != "?" })
            let note = try #require(LoopbackHTTP.get(base + "note.txt"))
            #expect(note.status == 200)
            #expect(note.body == "hello-from-inside\n")

            // The START checkpoint is an archive on disk of the size recorded.
            let checkpoints = try await gateway.store.checkpoints(session: created.id, workspace: .default)
            let start = try #require(checkpoints.first { $0.trigger == .start })
            #expect(start.name.hasPrefix("start-"))
            let attributes = try FileManager.default.attributesOfItem(atPath: start.location)
            #expect((attributes[.size] as? NSNumber)?.int64Value == start.sizeBytes)
            #expect(start.sizeBytes > 0)

            // The activity log: created, then a chain of state changes from PENDING to RUNNING.
            let events = try await gateway.store.events(session: created.id, workspace: .default).items
            #expect(events.first?.type == "CREATED")
            let changes = events.filter { $0.type == "STATE_CHANGED" }
            #expect(changes.first?.fromState == .pending)
            #expect(changes.last?.toState == .running)
            #expect([.pending, .starting].contains(changes.last?.fromState))
            for (earlier, later) in zip(changes, changes.dropFirst()) {
                #expect(earlier.toState == later.fromState, "the log skips a state: \(changes.map(\.message))")
            }
            #expect(events.contains { $0.type == "CHECKPOINT" && $0.message.contains(start.name) })
        }
    }

    @Test("repeating an identical create returns the same session and changes nothing; a different spec is ALREADY_EXISTS")
    func createIsIdempotent() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.createRunning("train")
            let before = try await gateway.observe()
            for _ in 0..<5 {
                let again = try await gateway.create("train")
                #expect(again.id == first.id)
                #expect(again.state == .running)
            }
            #expect(try await gateway.observe() == before)

            let error = try await gateway.expectRefusal(.alreadyExists, mentioning: ["train"]) {
                _ = try await gateway.create("train", spec: gateway.spec(image: "python3-legacy"))
            }
            #expect(error?.message.contains("different spec") == true)
            try await gateway.expectRefusal(.alreadyExists) {
                _ = try await gateway.create("train", spec: gateway.spec(labels: ["team": "ml"]))
            }
        }
    }

    @Test("20 concurrent identical creates give one session and one backend process group")
    func concurrentCreatesGiveOneSession() async throws {
        try await GatewayHarness.run { gateway in
            let ids = try await withThrowingTaskGroup(of: SessionID.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await gateway.create("shared").id }
                }
                var ids: [SessionID] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(ids.count == 20)
            #expect(Set(ids).count == 1)
            let id = try #require(ids.first)
            #expect(try await gateway.store.sessions(inStates: []).map(\.id) == [id])
            #expect(gateway.backendSessionIDs() == [id.rawValue])

            try await gateway.converge(id, to: [.running])
            #expect(try await gateway.provider.listSessions().map(\.sessionID) == [id])
            #expect(!gateway.liveProcesses(of: id).isEmpty)
            let created = try await gateway.store.events(session: id, workspace: .default).items.filter { $0.type == "CREATED" }
            #expect(created.count == 1)
        }
    }

    @Test("a secret reaches the session's command, and its value is never stored")
    func secretReachesCommandOnly() async throws {
        try await GatewayHarness.run { gateway in
            let spec = gateway.spec(
                preset: "env-echo", environment: [.init(name: "API_TOKEN", value: .secret(GatewayHarness.secretName))])
            let session = try await gateway.createRunning("with-secret", spec: spec)
            let seen = try await gateway.shell("cat .api-token", in: session)
            #expect(seen.output == GatewayHarness.secretValue)

            #expect(session.spec.environment == [.init(name: "API_TOKEN", value: .secret(GatewayHarness.secretName))])
            let events = try await gateway.store.events(session: session.id, workspace: .default).items
            #expect(!events.contains { $0.message.contains(GatewayHarness.secretValue) })
            for suffix in ["", "-wal"] {
                let bytes = FileManager.default.contents(atPath: gateway.storePath + suffix) ?? Data()
                #expect(bytes.range(of: Data(GatewayHarness.secretValue.utf8)) == nil, "the store\(suffix) holds the secret")
            }
        }
    }

    @Test("the provider gets the caller's spec, secrets as references, beside its resolution")
    func providerGetsTheSpec() async throws {
        var options = GatewayHarness.Options()
        options.wrapProvider = { RecordingProvider(base: $0) }
        try await GatewayHarness.run(options) { gateway in
            let recording = try #require(gateway.backend as? RecordingProvider)
            let spec = gateway.spec(
                environment: [.init(name: "API_TOKEN", value: .secret(GatewayHarness.secretName))], labels: ["team": "ml"])
            let created = try await gateway.create("labelled", spec: spec)
            let request = try #require(recording.sessionRequests.last)
            #expect(request.spec == created.spec)
            #expect(request.spec?.labels == ["team": "ml"])
            #expect(request.spec?.environment == [.init(name: "API_TOKEN", value: .secret(GatewayHarness.secretName))])
            #expect(request.environment["API_TOKEN"] == GatewayHarness.secretValue)
        }
    }

    @Test("a failure reason quoting a secret's value shows the secret's name instead, in the session and its activity log")
    func secretValuesAreMaskedInReasons() async throws {
        try await GatewayHarness.run { gateway in
            let spec = gateway.spec(
                preset: "env-leak", environment: [.init(name: "API_TOKEN", value: .secret(GatewayHarness.secretName))])
            let created = try await gateway.create("leaky", spec: spec)
            let failed = try await gateway.converge(created.id, to: [.failed])
            #expect(failed.stateReason.contains("connecting with token [secret \(GatewayHarness.secretName)]"), "\(failed.stateReason)")
            #expect(!failed.stateReason.contains(GatewayHarness.secretValue))
            let events = try await gateway.store.events(session: created.id, workspace: .default).items
            #expect(events.contains { $0.message.contains("[secret \(GatewayHarness.secretName)]") })
            #expect(!events.contains { $0.message.contains(GatewayHarness.secretValue) })
        }
    }
}
