import SessionSDK

extension ConformanceCatalog {
    /// Describing and listing sessions.
    static let describe: [ConformanceCase] = [
        ConformanceCase(
            .describe, "build-log-empty-without-packages",
            rule: "with ENVIRONMENT_BUILDS, a session without packages has an empty build log, and an unknown handle's is NOT_FOUND",
            requires: [.environmentBuilds]
        ) { context in
            let handle = try await context.create(try context.request("plainenv")).handle
            let lines = try await context.step("reading the build log of a session without packages") {
                try await context.provider.buildLog(handle, from: 0)
            }
            try context.expect(lines.isEmpty, "the build log of a session without packages has \(lines.count) lines")
            let unknown = SessionHandle(rawValue: context.newID("unknown"))
            try await context.expectError([.notFound], "reading the build log of the unknown handle '\(unknown)'") {
                _ = try await context.provider.buildLog(unknown, from: 0)
            }
        },
        ConformanceCase(
            .describe, "unknown-handle-not-found",
            rule: "describing a handle the backend never returned fails with NOT_FOUND"
        ) { context in
            let handle = SessionHandle(rawValue: context.newID("unknown"))
            try await context.expectError([.notFound], "describing the unknown handle '\(handle)'") {
                _ = try await context.provider.describeSession(handle)
            }
        },
        ConformanceCase(
            .describe, "attributes-preserved",
            rule: "describe and list report a session with the id it was created with and the handle create returned"
        ) { context in
            let request = try context.request("attrs")
            let created = try await context.create(request)
            let described = try await context.step("describing the new session") {
                try await context.provider.describeSession(created.handle)
            }
            try context.expect(described.sessionID == request.sessionID, "describe reports session '\(described.sessionID)', created as '\(request.sessionID)'")
            try context.expect(described.handle == created.handle, "describe reports the handle '\(described.handle)', create returned '\(created.handle)'")
            let running = try await context.waitFor([.running], created.handle)
            try context.expect(running.sessionID == request.sessionID, "once RUNNING, describe reports session '\(running.sessionID)'")
            let listed = try await context.list().filter { $0.handle == created.handle }
            try context.expect(!listed.isEmpty, "listSessions does not show the handle '\(created.handle)'")
            try context.expect(
                listed.allSatisfy { $0.sessionID == request.sessionID },
                "listSessions reports the handle '\(created.handle)' for session '\(listed[0].sessionID)', created as '\(request.sessionID)'")
        },
        ConformanceCase(
            .describe, "new-sessions-listed",
            rule: "listSessions shows every session created, with its id"
        ) { context in
            var created: [(SessionID, SessionHandle)] = []
            for index in 1...2 {
                let request = try context.request("listed\(index)")
                created.append((request.sessionID, try await context.create(request).handle))
            }
            let listed = try await context.list()
            for (id, handle) in created {
                try context.expect(
                    listed.contains { $0.handle == handle && $0.sessionID == id },
                    "listSessions does not show session '\(id)' (handle '\(handle)') right after it was created")
            }
        },
        ConformanceCase(
            .describe, "list-has-no-duplicates",
            rule: "listSessions reports each session once"
        ) { context in
            for index in 1...2 {
                try await context.create(try context.request("unique\(index)"))
            }
            let listed = try await context.list()
            var seen: Set<SessionHandle> = []
            let repeated = Set(listed.map(\.handle).filter { !seen.insert($0).inserted })
            try context.expect(
                repeated.isEmpty,
                "listSessions reports \(repeated.count) handles more than once: \(repeated.map(\.rawValue).sorted().prefix(5))")
        },
    ]
}
