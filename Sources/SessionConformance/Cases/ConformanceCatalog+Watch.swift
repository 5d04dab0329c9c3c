import SessionSDK

extension ConformanceCatalog {
    /// Watching state changes.
    static let watch: [ConformanceCase] = [
        ConformanceCase(
            .watch, "current-state-first",
            rule: "a new watch first reports each existing session's current state",
            requires: [.watch]
        ) { context in
            let running = try await context.createRunning("watched").status
            try await WatchLog.watching(context.provider) { log in
                try await log.waitUntil(
                    running.sessionID, "the existing session", timeout: context.timeouts.watchEvent, poll: context.timeouts.pollInterval
                ) { !$0.isEmpty }
                let first = log.states(of: running.sessionID)[0]
                try context.expect(first == .running, "the first status for the RUNNING session was \(first)")
            }
        },
        ConformanceCase(
            .watch, "transitions-in-legal-order",
            rule: "a watch reports a session's states in lifecycle order: PENDING, BUILDING, STARTING, RUNNING, then PAUSING, PAUSED, never going back",
            requires: [.watch]
        ) { context in
            let request = try context.request("order")
            try await WatchLog.watching(context.provider) { log in
                let handle = try await context.create(request).handle
                try await log.waitUntil(
                    request.sessionID, "RUNNING", timeout: context.timeouts.running, poll: context.timeouts.pollInterval
                ) { $0.contains(.running) }
                if context.capabilities.contains(.pauseResume) {
                    try await context.step("pausing the session") { _ = try await context.provider.pauseSession(handle) }
                    try await log.waitUntil(
                        request.sessionID, "PAUSED", timeout: context.timeouts.paused, poll: context.timeouts.pollInterval
                    ) { $0.contains(.paused) }
                }
                try await Task.sleep(for: context.timeouts.pollInterval * 4)
                let states = log.states(of: request.sessionID)
                if let violation = StatePath.firstViolation(in: states) {
                    throw CaseFailure("\(violation): the watch reported \(states.map(\.rawValue))")
                }
            }
        },
        ConformanceCase(
            .watch, "cancellation-honoured",
            rule: "cancelling a watch ends its stream promptly, and later watches still work",
            requires: [.watch]
        ) { context in
            let running = try await context.createRunning("cancel").status
            let stream = context.provider.watchSessions()
            let clock = ContinuousClock()
            let elapsed = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in stream {}
                }
                try await Task.sleep(for: context.timeouts.pollInterval * 4)
                let cancelled = clock.now
                group.cancelAll()
                try? await group.waitForAll()
                return clock.now - cancelled
            }
            try context.expect(
                elapsed <= context.timeouts.watchEvent,
                "the cancelled watch took \(elapsed) to end, more than \(context.timeouts.watchEvent)")
            try await WatchLog.watching(context.provider) { log in
                try await log.waitUntil(
                    running.sessionID, "the existing session after a cancelled watch", timeout: context.timeouts.watchEvent,
                    poll: context.timeouts.pollInterval
                ) { !$0.isEmpty }
            }
        },
    ]
}
