import SessionSDK

extension ConformanceCatalog {
    /// Concurrent calls and recovery by a restarted provider.
    static let concurrency: [ConformanceCase] = [
        ConformanceCase(
            .concurrency, "concurrent-identical-creates-one-session",
            rule: "N concurrent creates of one session id make one session and all return its handle"
        ) { context in
            let request = try context.request("racing")
            context.tracker.expect(request.sessionID)
            let results = await withTaskGroup(of: Result<SessionHandle, any Error>.self) { group in
                for _ in 1...context.repetitions {
                    group.addTask {
                        do {
                            return .success(try await context.attemptCreate(request).handle)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: [Result<SessionHandle, any Error>]()) { $0.append($1) }
            }
            var handles: Set<SessionHandle> = []
            for result in results {
                switch result {
                case .success(let handle): handles.insert(handle)
                case .failure(let error): throw CaseFailure("one of \(context.repetitions) concurrent creates threw \(error)")
                }
            }
            try context.expect(handles.count == 1, "\(context.repetitions) concurrent creates returned \(handles.count) handles: \(handles.map(\.rawValue).sorted())")
            let listed = try await context.list().filter { $0.sessionID.rawValue.hasPrefix(request.sessionID.rawValue) }
            let listedHandles = Set(listed.map(\.handle))
            try context.expect(
                listedHandles == handles,
                "after \(context.repetitions) concurrent creates listSessions shows \(listedHandles.count) sessions: \(listedHandles.map(\.rawValue).sorted())")
        },
        ConformanceCase(
            .concurrency, "concurrent-distinct-creates",
            rule: "N sessions created concurrently get distinct handles and all become RUNNING"
        ) { context in
            let requests = try (1...context.repetitions).map { index throws(CaseSkip) in try context.request("many\(index)") }
            let statuses = try await withThrowingTaskGroup(of: ProviderSessionStatus.self) { group in
                for request in requests {
                    group.addTask { try await context.create(request) }
                }
                return try await group.reduce(into: [ProviderSessionStatus]()) { $0.append($1) }
            }
            let handles = Set(statuses.map(\.handle))
            try context.expect(handles.count == requests.count, "\(requests.count) different sessions got \(handles.count) distinct handles")
            for status in statuses {
                try await context.waitFor([.running], status.handle)
            }
        },
        ConformanceCase(
            .concurrency, "conflicting-pause-and-delete",
            rule: "a pause and a delete racing on one session either both succeed or are refused with ABORTED or FAILED_PRECONDITION, and the session ends deleted or in a stable state",
            requires: [.pauseResume]
        ) { context in
            let (request, running) = try await context.createRunning("conflict")
            let handle = running.handle
            async let paused: SessionError? = outcome { _ = try await context.provider.pauseSession(handle) }
            async let deleted: SessionError? = outcome { try await context.provider.deleteSession(handle) }
            let (pauseError, deleteError) = try await (paused, deleted)
            let refusals: Set<SessionError.Code> = [.aborted, .failedPrecondition]
            if let pauseError {
                try context.expect(
                    refusals.contains(pauseError.code) || pauseError.code == .notFound,
                    "the pause racing a delete threw \(pauseError); expected success, ABORTED, FAILED_PRECONDITION or NOT_FOUND")
            }
            if let deleteError {
                try context.expect(
                    refusals.contains(deleteError.code),
                    "the delete racing a pause threw \(deleteError); expected success, ABORTED or FAILED_PRECONDITION")
                let status = try await context.waitFor([.running, .paused], handle, timeout: context.timeouts.paused)
                try context.expect([.running, .paused].contains(status.state), "after the refused delete the session is \(status.state)")
                try await context.step("deleting the session after the race") { try await context.provider.deleteSession(handle) }
            }
            let left = try await context.list().filter { $0.handle == handle || $0.sessionID == request.sessionID }
            try context.expect(left.isEmpty, "after the delete succeeded, listSessions still shows the session as \(left.map(\.state.rawValue))")
        },
        ConformanceCase(
            .concurrency, "restarted-provider-recovers-session",
            rule: "a new provider instance recovers a session from its handle and can describe, pause and delete it",
            needs: [.restart]
        ) { context in
            guard let restart = context.configuration.restart else { return }
            let (request, running) = try await context.createRunning("recover")
            let restarted = try await context.step("making a new provider instance") { try await restart.makeProvider() }
            context.tracker.record(restarted: restarted, release: restart.releaseProvider)
            let recovered = try await context.step("recoverSession on the new instance") {
                try await restarted.recoverSession(running.handle)
            }
            try context.expect(recovered.sessionID == request.sessionID, "the new instance recovered session '\(recovered.sessionID)', not '\(request.sessionID)'")
            try context.expect(recovered.state == .running, "the new instance recovered the RUNNING session as \(recovered.state) (\(recovered.reason))")
            let described = try await context.step("describing on the new instance") { try await restarted.describeSession(running.handle) }
            try context.expect(described.state == .running, "the new instance describes the RUNNING session as \(described.state)")
            let listed = try await context.list(on: restarted)
            try context.expect(listed.contains { $0.handle == running.handle }, "the new instance does not list the session")
            if context.capabilities.contains(.pauseResume) {
                try await pause(running.handle, context, on: restarted)
            }
            try await context.step("deleting on the new instance") { try await restarted.deleteSession(running.handle) }
            for (provider, which) in [(restarted, "new"), (context.provider, "original")] {
                let left = try await context.list(on: provider).filter { $0.handle == running.handle }
                try context.expect(left.isEmpty, "after the new instance deleted it, the \(which) instance still lists the session")
            }
        },
    ]

    /// The ``SessionError`` `body` throws, or nil when it succeeds.
    static func outcome(_ body: () async throws -> Void) async throws -> SessionError? {
        do {
            try await body()
            return nil
        } catch let error as SessionError {
            return error
        }
    }
}
