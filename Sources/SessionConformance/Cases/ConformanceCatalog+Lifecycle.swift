import SessionSDK

extension ConformanceCatalog {
    /// Running, pausing, resuming and their idempotency.
    static let lifecycle: [ConformanceCase] = [
        ConformanceCase(
            .lifecycle, "reaches-running-with-endpoint",
            rule: "a created session becomes RUNNING with a connection URL whose host and port accept TCP connections"
        ) { context in
            let running = try await context.createRunning("run").status
            let endpoint = try context.endpoint(of: running)
            try context.expect(
                endpoint.acceptsConnections(timeout: context.timeouts.endpoint),
                "the RUNNING session's endpoint \(endpoint) refuses TCP connections")
        },
        ConformanceCase(
            .lifecycle, "pause-releases-compute",
            rule: "pausing a running session releases its compute: it becomes PAUSED without connection info and its endpoint stops answering",
            requires: [.pauseResume]
        ) { context in
            let running = try await context.createRunning("release").status
            let endpoint = try context.endpoint(of: running)
            try context.expect(endpoint.acceptsConnections(timeout: context.timeouts.endpoint), "\(endpoint) refuses connections before the pause")
            let paused = try await pause(running.handle, context)
            try context.expect(paused.connection == nil, "the PAUSED session still reports the connection \(paused.connection?.url.prefix(100) ?? "")")
            let closed = try await context.eventually(within: context.timeouts.endpoint) {
                !endpoint.acceptsConnections(timeout: .seconds(1))
            }
            try context.expect(closed, "\(endpoint) still accepts connections \(context.timeouts.endpoint) after the session became PAUSED")
        },
        ConformanceCase(
            .lifecycle, "pause-keeps-storage",
            rule: "a file written before a pause is there, unchanged, after resume",
            requires: [.pauseResume, .execute]
        ) { context in
            let (request, running) = try await context.createRunning("keep")
            let marker = context.newID("file")
            try await context.runSucceeding("mkdir -p conformance && printf '%s' '\(marker)' > conformance/kept.txt", in: running.handle)
            try await pause(running.handle, context)
            try await resume(running.handle, request, context)
            let read = try await context.run("cat conformance/kept.txt", in: running.handle)
            try context.expect(
                read.exitCode == 0 && read.output == marker,
                "after resume, conformance/kept.txt " + (read.exitCode == 0 ? "holds '\(read.output.prefix(100))', not '\(marker)'" : "cannot be read: \(read.errorOutput.prefix(200))"))
        },
        ConformanceCase(
            .lifecycle, "resume-returns-to-running",
            rule: "resuming a paused session brings it back to RUNNING with an endpoint that accepts connections",
            requires: [.pauseResume]
        ) { context in
            let (request, running) = try await context.createRunning("back")
            try await pause(running.handle, context)
            let resumed = try await resume(running.handle, request, context)
            let endpoint = try context.endpoint(of: resumed)
            try context.expect(
                endpoint.acceptsConnections(timeout: context.timeouts.endpoint),
                "the resumed session's endpoint \(endpoint) refuses TCP connections")
        },
        ConformanceCase(
            .lifecycle, "pause-is-idempotent",
            rule: "pausing a pausing or paused session succeeds and changes nothing",
            requires: [.pauseResume]
        ) { context in
            let handle = try await context.createRunning("pausen").status.handle
            for attempt in 1...context.repetitions {
                let status = try await context.step("pause \(attempt)") { try await context.provider.pauseSession(handle) }
                try context.expect([.pausing, .paused].contains(status.state), "pause \(attempt) reported \(status.state)")
            }
            try await context.waitFor([.paused], handle, timeout: context.timeouts.paused)
            for attempt in 1...context.repetitions {
                let status = try await context.step("pausing the PAUSED session (\(attempt))") {
                    try await context.provider.pauseSession(handle)
                }
                try context.expect(status.state == .paused, "pausing a PAUSED session (\(attempt)) reported \(status.state)")
            }
        },
        ConformanceCase(
            .lifecycle, "resume-is-idempotent",
            rule: "resuming a running session succeeds and changes nothing",
            requires: [.pauseResume]
        ) { context in
            let (request, running) = try await context.createRunning("resumen")
            for attempt in 1...context.repetitions {
                let status = try await context.step("resuming the RUNNING session (\(attempt))") {
                    try await context.provider.resumeSession(running.handle, request: request)
                }
                try context.expect(status.state == .running, "resuming a RUNNING session (\(attempt)) reported \(status.state)")
                try context.expect(
                    status.connection?.url == running.connection?.url,
                    "resuming a RUNNING session (\(attempt)) changed its connection URL: it was restarted")
            }
        },
        ConformanceCase(
            .lifecycle, "delete-is-idempotent",
            rule: "deleting a session N times concurrently succeeds every time and removes it"
        ) { context in
            let request = try context.request("deleten")
            let handle = try await context.create(request).handle
            try await context.waitFor([.running], handle)
            let failures = await withTaskGroup(of: String?.self) { group in
                for attempt in 1...context.repetitions {
                    group.addTask {
                        do {
                            try await context.provider.deleteSession(handle)
                            return nil
                        } catch {
                            return "delete \(attempt) threw \(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }
            try context.expect(failures.isEmpty, failures.sorted().joined(separator: "; "))
            let left = try await context.listedHandles(for: request.sessionID)
            try context.expect(left.isEmpty, "after \(context.repetitions) deletes, listSessions still shows the session")
        },
        ConformanceCase(
            .lifecycle, "deleted-session-stays-deleted",
            rule: "a deleted session cannot be paused or resumed: both fail with NOT_FOUND and it does not come back",
            requires: [.pauseResume]
        ) { context in
            let (request, running) = try await context.createRunning("dead")
            try await context.step("deleting the session") { try await context.provider.deleteSession(running.handle) }
            try await context.expectError([.notFound], "pausing the deleted session") {
                _ = try await context.provider.pauseSession(running.handle)
            }
            try await context.expectError([.notFound], "resuming the deleted session") {
                _ = try await context.provider.resumeSession(running.handle, request: request)
            }
            let left = try await context.list().filter { $0.handle == running.handle || $0.sessionID == request.sessionID }
            try context.expect(left.isEmpty, "after pause and resume of the deleted session, listSessions shows it as \(left.map(\.state.rawValue))")
        },
    ]

    /// Pauses a session and waits until it is PAUSED.
    @discardableResult
    static func pause(
        _ handle: SessionHandle, _ context: CaseContext, on provider: (any SessionProvider)? = nil
    ) async throws -> ProviderSessionStatus {
        let status = try await context.step("pausing session '\(handle)'") {
            try await (provider ?? context.provider).pauseSession(handle)
        }
        try context.expect([.pausing, .paused].contains(status.state), "pause reported \(status.state) (\(status.reason))")
        return try await context.waitFor([.paused], handle, timeout: context.timeouts.paused, on: provider)
    }

    /// Resumes a session and waits until it is RUNNING.
    @discardableResult
    static func resume(
        _ handle: SessionHandle, _ request: ProviderSessionRequest, _ context: CaseContext
    ) async throws -> ProviderSessionStatus {
        let status = try await context.step("resuming session '\(handle)'") {
            try await context.provider.resumeSession(handle, request: request)
        }
        try context.expect(
            [.pending, .building, .starting, .running].contains(status.state),
            "resume reported \(status.state) (\(status.reason))")
        return try await context.waitFor([.running], handle, timeout: context.timeouts.running)
    }
}
