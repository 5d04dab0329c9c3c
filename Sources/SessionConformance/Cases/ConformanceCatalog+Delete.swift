import SessionSDK

extension ConformanceCatalog {
    /// Deleting sessions.
    static let delete: [ConformanceCase] = [
        ConformanceCase(
            .delete, "unknown-handle-succeeds",
            rule: "deleting a handle the backend never returned succeeds"
        ) { context in
            let handle = SessionHandle(rawValue: context.newID("never"))
            try await context.step("deleting the unknown handle '\(handle)'") {
                try await context.provider.deleteSession(handle)
            }
        },
        ConformanceCase(
            .delete, "twice-succeeds",
            rule: "deleting a session that was already deleted succeeds"
        ) { context in
            let handle = try await context.create(try context.request("twice")).handle
            try await context.step("the first delete") { try await context.provider.deleteSession(handle) }
            try await context.step("the second delete") { try await context.provider.deleteSession(handle) }
        },
        ConformanceCase(
            .delete, "describe-afterwards-not-found",
            rule: "describing a deleted session fails with NOT_FOUND"
        ) { context in
            let handle = try await context.createRunning("gone").status.handle
            try await context.step("deleting the session") { try await context.provider.deleteSession(handle) }
            try await context.expectError([.notFound], "describing the deleted session") {
                _ = try await context.provider.describeSession(handle)
            }
        },
        ConformanceCase(
            .delete, "removed-from-list",
            rule: "a deleted session is no longer listed"
        ) { context in
            let request = try context.request("unlisted")
            let handle = try await context.create(request).handle
            try await context.waitFor([.running], handle)
            try await context.step("deleting the session") { try await context.provider.deleteSession(handle) }
            let listed = try await context.list().filter { $0.handle == handle || $0.sessionID == request.sessionID }
            try context.expect(
                listed.isEmpty,
                "listSessions still shows the deleted session '\(request.sessionID)' as \(listed.map(\.state.rawValue))")
        },
        ConformanceCase(
            .delete, "releases-compute",
            rule: "deleting a running session stops its endpoint"
        ) { context in
            let running = try await context.createRunning("stop").status
            let endpoint = try context.endpoint(of: running)
            try await context.step("deleting the session") { try await context.provider.deleteSession(running.handle) }
            let closed = try await context.eventually(within: context.timeouts.endpoint) {
                !endpoint.acceptsConnections(timeout: .seconds(1))
            }
            try context.expect(closed, "\(endpoint) still accepts connections \(context.timeouts.endpoint) after delete")
        },
    ]
}
