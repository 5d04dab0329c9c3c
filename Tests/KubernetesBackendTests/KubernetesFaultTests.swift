@testable import KubernetesBackend
import Foundation
import SessionSDK
import Synchronization
import Testing

extension KubernetesEmulatorTests {
    /// The backend when the API server misbehaves, on the emulator with injected faults:
    /// dropped and expired watches, conflicts, images that cannot be pulled, pods that
    /// cannot be scheduled, an unreachable API server, and a restarted gateway.
    @Suite("Kubernetes backend under faults, on the API emulator")
    struct Faults {
        /// Collects what a watch reports, in order.
        final class WatchLog: Sendable {
            /// Where the watch task puts what it receives.
            final class Box: Sendable {
                let statuses = Mutex<[ProviderSessionStatus]>([])
                func append(_ status: ProviderSessionStatus) { statuses.withLock { $0.append(status) } }
            }

            let box = Box()
            let task: Task<Void, Never>

            init(_ provider: KubernetesProvider) {
                let box = self.box
                task = Task {
                    do {
                        for try await status in provider.watchSessions() { box.append(status) }
                    } catch {}
                }
            }

            /// Waits until the watch reported `state` for `id`.
            func waitFor(_ state: SessionState, of id: SessionID, timeout: Duration = .seconds(20)) async throws -> Bool {
                let deadline = ContinuousClock.now + timeout
                while ContinuousClock.now < deadline {
                    if box.statuses.withLock({ $0.contains { $0.sessionID == id && $0.state == state } }) { return true }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }

            /// The states reported for `id`.
            func states(of id: SessionID) -> [SessionState] {
                box.statuses.withLock { $0.filter { $0.sessionID == id }.map(\.state) }
            }

            deinit { task.cancel() }
        }

        @Test("a watch dropped mid-stream resumes from its resourceVersion without losing a change, and without a re-list")
        func droppedWatch() async throws {
            let (kube, provider, running) = try await KubeFixture.running("drop")
            // The next two watches in the namespace (StatefulSets and pods) break after one event.
            try await kube.fault(["dropWatchAfterEvents": 1])
            try await kube.fault(["dropWatchAfterEvents": 1])
            let log = WatchLog(provider)
            #expect(try await log.waitFor(.running, of: running.sessionID), "the watch reported the running session first")
            _ = try await provider.pauseSession(running.handle)
            #expect(try await log.waitFor(.paused, of: running.sessionID), "the pause was reported after the drop: \(log.states(of: running.sessionID))")
            let drops = try await kube.faults()["watchDrops"].array
            #expect(drops.count == 2 && drops.allSatisfy { $0["served"].bool == true }, "both watches took a drop rule: \(drops)")
            #expect(provider.watchCounts.resumes >= 1, "\(provider.watchCounts)")
            #expect(provider.watchCounts.lists == 1 && provider.watchCounts.relistsAfterExpiry == 0, "resumed, not listed again: \(provider.watchCounts)")
            log.task.cancel()
            try await provider.deleteSession(running.handle)
            await kube.finish()
        }

        @Test("410 Gone when a broken watch resumes forces a re-list, and the change is still reported")
        func expiredWatch() async throws {
            let (kube, provider, running) = try await KubeFixture.running("gone")
            try await kube.fault(["dropWatchAfterEvents": 1])
            try await kube.fault(["dropWatchAfterEvents": 1])
            let log = WatchLog(provider)
            #expect(try await log.waitFor(.running, of: running.sessionID))
            let listsBefore = provider.watchCounts.lists
            // The watches' next starts (their resumptions after the drops) find their version expired.
            for resource in ["statefulsets", "pods"] {
                try await kube.fault(["method": "GET", "path": .string("/\(resource)\\?.*watch=true"), "count": 1, "status": 410])
            }
            _ = try await provider.pauseSession(running.handle)
            #expect(try await log.waitFor(.paused, of: running.sessionID), "\(log.states(of: running.sessionID))")
            #expect(provider.watchCounts.relistsAfterExpiry >= 1, "\(provider.watchCounts)")
            #expect(provider.watchCounts.lists > listsBefore)
            let expired = try await kube.faults()["rules"].array.filter { $0["status"].int == 410 }
            #expect(expired.contains { $0["served"].int == 1 }, "a resumed watch was answered 410: \(expired)")
            log.task.cancel()
            try await provider.deleteSession(running.handle)
            await kube.finish()
        }

        @Test("a 409 Conflict on the StatefulSet update is retried with a fresh read, and the update is applied once")
        func conflict() async throws {
            let (kube, provider, running) = try await KubeFixture.running("conflict")
            let names = KubeNames(sessionID: running.sessionID)
            let before = try #require(try await kube.client.get(.statefulSets, namespace: kube.namespace, name: names.statefulSet, what: "reading"))
            try await kube.fault(["method": "PUT", "path": .string("statefulsets/\(names.statefulSet)$"), "count": 1, "status": 409])
            _ = try await provider.pauseSession(running.handle)
            let rules = try await kube.faults()["rules"].array
            #expect(rules.count == 1 && rules[0]["served"].int == 1 && rules[0]["pending"].int == 0, "the conflict was answered once: \(rules)")
            let after = try #require(try await kube.client.get(.statefulSets, namespace: kube.namespace, name: names.statefulSet, what: "reading"))
            #expect(after["spec"]["replicas"].int == 0)
            #expect(after["metadata"]["generation"].int == (before["metadata"]["generation"].int ?? 0) + 1, "one spec change, made once")
            let paused = try await KubeFixture.wait(provider, running.handle) { $0.state == .paused }
            #expect(paused.state == .paused)
            try await provider.deleteSession(running.handle)
            await kube.finish()
        }

        @Test("an image that cannot be pulled makes the session FAILED with the reason")
        func imagePullFailure() async throws {
            let kube = try await KubeFixture.start("pull")
            let provider = try kube.provider()
            var request = KubeFixture.request(SessionID(rawValue: "pull-\(KubeFixture.tag())"))
            request.image = "registry.example/team/does-not-exist:1.0"
            let created = try await provider.createSession(request)
            let failed = try await KubeFixture.wait(provider, created.handle) { $0.state == .failed }
            #expect(failed.state == .failed)
            #expect(failed.reason.contains("registry.example/team/does-not-exist:1.0"), "\(failed.reason)")
            #expect(failed.reason.contains("ErrImagePull") || failed.reason.contains("ImagePullBackOff"), "\(failed.reason)")
            try await provider.deleteSession(created.handle)
            await kube.finish()
        }

        @Test("a pod that cannot be scheduled stays PENDING with the scheduler's reason")
        func failedScheduling() async throws {
            let kube = try await KubeFixture.start("sched")
            var configuration = kube.configuration()
            configuration.maxCPUMillis = 1_000_000
            let provider = try kube.provider(configuration)
            var request = KubeFixture.request(SessionID(rawValue: "sched-\(KubeFixture.tag())"))
            request.resources.cpuMillis = 500_000
            let created = try await provider.createSession(request)
            let pending = try await KubeFixture.wait(provider, created.handle) { $0.reason.contains("Insufficient cpu") }
            #expect(pending.state == .pending)
            #expect(pending.reason.contains("waiting for a node") && pending.reason.contains("Insufficient cpu"), "\(pending.reason)")
            try await provider.deleteSession(created.handle)
            await kube.finish()
        }

        @Test("an unreachable API server gives UNAVAILABLE naming it, and calls and watches recover when it returns")
        func outage() async throws {
            let (kube, provider, running) = try await KubeFixture.running("outage")
            let log = WatchLog(provider)
            #expect(try await log.waitFor(.running, of: running.sessionID))
            try await kube.fault(["outageSeconds": 3], global: true)
            // The emulator closes its socket right after answering.
            let closing = ContinuousClock.now + .seconds(3)
            while TCPProbe.accepts(host: kube.client.credentials.host, port: kube.client.credentials.port, timeout: .milliseconds(200)), ContinuousClock.now < closing {
                try await Task.sleep(for: .milliseconds(20))
            }
            let started = ContinuousClock.now
            do {
                _ = try await provider.describeSession(running.handle)
                Issue.record("describe succeeded during the outage")
            } catch let error as SessionError {
                #expect(error.code == .unavailable, "\(error)")
                #expect(
                    error.message.contains("the Kubernetes API at https://127.0.0.1:") && error.message.contains("cannot be reached"), "\(error.message)")
            }
            #expect(ContinuousClock.now - started < .seconds(10), "the error came promptly")
            var recovered: ProviderSessionStatus?
            let deadline = ContinuousClock.now + .seconds(20)
            while recovered == nil, ContinuousClock.now < deadline {
                recovered = try? await provider.describeSession(running.handle)
                if recovered == nil { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(recovered?.state == .running, "\(String(describing: recovered))")
            // The watch waited through the outage and follows the session again.
            _ = try await provider.pauseSession(running.handle)
            #expect(try await log.waitFor(.paused, of: running.sessionID), "\(log.states(of: running.sessionID))")
            log.task.cancel()
            try await provider.deleteSession(running.handle)
            await kube.finish()
        }

        @Test("429 answers are retried after their Retry-After and 5xx answers with back-off; throttling that does not stop is UNAVAILABLE")
        func throttling() async throws {
            let (kube, _, running) = try await KubeFixture.running("throttle")
            var configuration = kube.configuration()
            configuration.retry = .init(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .seconds(2))
            let provider = try kube.provider(configuration)
            let path = "statefulsets/\(KubeNames(sessionID: running.sessionID).statefulSet)$"
            try await kube.fault(["method": "GET", "path": .string(path), "count": 2, "status": 429, "retryAfterSeconds": 1])
            let started = ContinuousClock.now
            #expect(try await provider.describeSession(running.handle).state == .running)
            #expect(ContinuousClock.now - started >= .seconds(2), "each Retry-After of 1 s was honoured")
            try await kube.fault(["method": "GET", "path": .string(path), "count": 3, "status": 503])
            #expect(try await provider.describeSession(running.handle).state == .running)
            try await kube.fault(["method": "GET", "path": .string(path), "count": 4, "status": 429, "retryAfterSeconds": 1])
            do {
                _ = try await provider.describeSession(running.handle)
                Issue.record("four throttled answers in a row did not fail the call")
            } catch let error as SessionError {
                #expect(error.code == .unavailable && error.message.contains("throttling"), "\(error)")
            }
            #expect(try await kube.faults()["rules"].array.allSatisfy { $0["pending"].int == 0 })
            try await provider.deleteSession(running.handle)
            await kube.finish()
        }

        @Test("objects of a session whose StatefulSet is gone are listed as UNKNOWN, and deleting that handle removes them")
        func orphans() async throws {
            let (kube, provider, running) = try await KubeFixture.running("orphan")
            let names = KubeNames(sessionID: running.sessionID)
            // Someone deletes the StatefulSet and keeps its dependents.
            try await kube.client.delete(.statefulSets, namespace: kube.namespace, name: names.statefulSet, propagation: "Orphan", what: "orphaning")
            let deadline = ContinuousClock.now + .seconds(10)
            while try await kube.client.get(.statefulSets, namespace: kube.namespace, name: names.statefulSet, what: "reading") != nil,
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            let listed = try await provider.listSessions()
            #expect(listed.map(\.handle) == [running.handle])
            #expect(listed.first?.state == .unknown, "\(listed)")
            try await provider.deleteSession(running.handle)
            #expect(try await provider.listSessions().isEmpty)
            let selector = SessionObjects.sessionSelector(names, instance: "sessiongw")
            for resource in [KubeResource.persistentVolumeClaims, .services, .secrets] {
                let left = try await kube.client.list(resource, namespace: kube.namespace, labelSelector: selector, what: "listing").items
                #expect(left.allSatisfy { !$0["metadata"]["deletionTimestamp"].isNull }, "\(resource.plural) left: \(left.count)")
            }
            await kube.finish()
        }

        @Test("an exec whose upgrade answer, output, status and close arrive in one read keeps every byte and the exit code")
        func coalescedExec() async throws {
            let (kube, provider, running) = try await KubeFixture.running("coalesce")
            try await kube.fault(["coalesceExecs": 2])
            let printed = try await provider.execute(["sh", "-c", "printf 'line one\\nline two\\n'; echo oops >&2"], in: running.handle)
            #expect(printed.exitCode == 0 && printed.output == "line one\nline two\n" && printed.errorOutput == "oops\n", "\(printed)")
            let failed = try await provider.execute(["sh", "-c", "echo partial; exit 3"], in: running.handle)
            #expect(failed.exitCode == 3 && failed.output.hasPrefix("partial\n"), "\(failed)")
            #expect(try await kube.faults()["pendingCoalescedExecs"].int == 0, "both execs were answered in one write")
            try await provider.deleteSession(running.handle)
            await kube.finish()
        }

        @Test("a new provider instance (a restarted gateway) recovers sessions from their handles and can pause and delete them")
        func restart() async throws {
            let (kube, provider, running) = try await KubeFixture.running("restart")
            let restarted = try kube.provider()
            let recovered = try await restarted.recoverSession(running.handle)
            #expect(recovered.state == .running)
            #expect(recovered.connection == running.connection, "the same URL and token")
            #expect(try await restarted.listSessions().map(\.handle) == [running.handle])
            _ = try await restarted.pauseSession(running.handle)
            let paused = try await KubeFixture.wait(restarted, running.handle) { $0.state == .paused }
            #expect(paused.state == .paused)
            try await restarted.deleteSession(running.handle)
            #expect(try await provider.listSessions().isEmpty)
            await kube.finish()
        }
    }
}
