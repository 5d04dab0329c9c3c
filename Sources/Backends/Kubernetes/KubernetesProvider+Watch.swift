public import SessionSDK
import Logging
import Synchronization

extension KubernetesProvider {
    /// What the watches of this provider instance did: for operators' metrics and tests.
    public struct WatchStatistics: Hashable, Sendable {
        /// Full lists (the first, and after `410 Gone`/`Expired`).
        public var lists: Int = 0
        /// Watches started again from the last resourceVersion seen, after the server
        /// ended a stream or the connection broke.
        public var resumes: Int = 0
        /// Lists forced by an expired resourceVersion.
        public var relistsAfterExpiry: Int = 0
    }

    /// State changes as they happen: lists the instance's StatefulSets (reporting each
    /// session's current state first), then watches StatefulSets and pods from the
    /// list's resourceVersion with bookmarks, describing a session again whenever one of
    /// its objects changes and reporting it when its state, reason or connection differ
    /// from what was last reported. A stream the server ends, or a connection that
    /// breaks, is watched again from the last resourceVersion seen (bookmarks keep it
    /// current); `410 Gone` (history compacted) lists again. While the API server cannot
    /// be reached the stream waits and retries; it ends only when cancelled.
    public func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                await self.runWatch(continuation)
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The list-then-watch loop.
    private func runWatch(_ continuation: AsyncThrowingStream<ProviderSessionStatus, any Error>.Continuation) async {
        let reported = Mutex<[SessionID: ProviderSessionStatus]>([:])
        let sessionLocks = KeyedLock<SessionID>()
        let selector = SessionObjects.instanceSelector(configuration.instance)
        let report: @Sendable (SessionID) async -> Void = { id in
            await sessionLocks.withLock(id) {
                let handle = KubeHandle(namespace: self.namespace, sessionID: id)
                guard let status = try? await self.observe(handle) else { return }
                let changed = reported.withLock { reported in
                    guard reported[id] != status else { return false }
                    reported[id] = status
                    return true
                }
                if changed { continuation.yield(status) }
            }
        }
        var failures = 0
        while !Task.isCancelled {
            do {
                watchStatistics.withLock { $0.lists += 1 }
                let statefulSets = try await client.list(.statefulSets, namespace: namespace, labelSelector: selector, what: "listing sessions to watch")
                let pods = try await client.list(.pods, namespace: namespace, labelSelector: selector, what: "listing session pods to watch")
                failures = 0
                for statefulSet in statefulSets.items {
                    if let id = Self.sessionID(of: statefulSet) { await report(id) }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (resource, version) in [(KubeResource.statefulSets, statefulSets.resourceVersion), (.pods, pods.resourceVersion)] {
                        group.addTask { try await self.follow(resource, from: version, selector: selector, report: report) }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            } catch KubeClient.WatchEnd.expired {
                watchStatistics.withLock { $0.relistsAfterExpiry += 1 }
                logger.debug("watch history expired; listing again")
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.debug("watch failed; retrying", metadata: ["k8s.error": "\(error)"])
                try? await Task.sleep(for: configuration.retry.delay(afterAttempt: min(failures, 6)) + .milliseconds(200))
            }
        }
    }

    /// Watches one collection until its history expires (thrown as
    /// ``KubeClient/WatchEnd/expired``), resuming from the last resourceVersion after
    /// ended streams and broken connections.
    private func follow(
        _ resource: KubeResource, from version: String, selector: String, report: @escaping @Sendable (SessionID) async -> Void
    ) async throws {
        var version = version
        var failures = 0
        while true {
            try Task.checkCancellation()
            do {
                try await client.watch(resource, namespace: namespace, labelSelector: selector, resourceVersion: version) { event in
                    if let next = event.object["metadata"]["resourceVersion"].string, !next.isEmpty { version = next }
                    failures = 0
                    guard event.type != "BOOKMARK", let id = Self.sessionID(of: event.object) else { return }
                    await report(id)
                }
            } catch KubeClient.WatchEnd.closed {
                // The server's timeout: watch on.
            } catch let error as KubeClient.WatchEnd {
                throw error
            } catch let error as SessionError where error.code != .unavailable {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failures += 1
                logger.debug("watch broke; resuming", metadata: ["k8s.resource": "\(resource.plural)", "k8s.error": "\(error)"])
                try await Task.sleep(for: configuration.retry.delay(afterAttempt: min(failures, 6)) + .milliseconds(100 * min(failures, 10)))
            }
            watchStatistics.withLock { $0.resumes += 1 }
        }
    }

    /// The session an object belongs to, from its annotations.
    static func sessionID(of object: KubeObject) -> SessionID? {
        object["metadata"]["annotations"][KubeNames.sessionIDAnnotation].string.map(SessionID.init(rawValue:))
    }
}
