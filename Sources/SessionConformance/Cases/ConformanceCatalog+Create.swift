import SessionSDK

extension ConformanceCatalog {
    /// Creating sessions: refusals and idempotency.
    static let create: [ConformanceCase] = [
        ConformanceCase(
            .create, "returns-status-for-request",
            rule: "createSession returns the request's session id, a handle, and a PENDING, BUILDING, STARTING or RUNNING state"
        ) { context in
            let request = try context.request("status")
            let status = try await context.create(request)
            try context.expect(status.sessionID == request.sessionID, "the status is for session '\(status.sessionID)', the request for '\(request.sessionID)'")
            try context.expect(!status.handle.rawValue.isEmpty, "the handle is empty")
            try context.expect(
                [.pending, .building, .starting, .running].contains(status.state),
                "a new session is \(status.state) (\(status.reason))")
        },
        ConformanceCase(
            .create, "empty-command-refused",
            rule: "a request without a command is refused with INVALID_ARGUMENT and leaves nothing behind"
        ) { context in
            var request = try context.request("nocmd")
            request.command = []
            try await refuses(request, [.invalidArgument], "creating a session with an empty command", context)
        },
        ConformanceCase(
            .create, "negative-resources-refused",
            rule: "a request for negative CPU or memory is refused with INVALID_ARGUMENT and leaves nothing behind"
        ) { context in
            var cpu = try context.request("negcpu")
            cpu.resources.cpuMillis = -1000
            try await refuses(cpu, [.invalidArgument], "creating a session with -1000 millicores", context)
            var memory = try context.request("negmem")
            memory.resources.memoryBytes = -1
            try await refuses(memory, [.invalidArgument], "creating a session with -1 bytes of memory", context)
        },
        ConformanceCase(
            .create, "mount-outside-data-refused",
            rule: "a data-link mounted anywhere but /workspace/data/<name> is refused with INVALID_ARGUMENT",
            requires: [.dataLinks], needs: [.dataLinks]
        ) { context in
            for path in ["/workspace/data/../../etc", "/etc/conformance", DataLinkRules.mountRoot, "/workspace/data/a/b"] {
                var request = try context.request("mount")
                var mount = try context.dataLinks.readOnly
                mount.mountPath = path
                request.dataLinks = [mount]
                try await refuses(request, [.invalidArgument], "creating a session with a data-link mounted at '\(path)'", context)
            }
        },
        ConformanceCase(
            .create, "duplicate-mount-path-refused",
            rule: "two data-links on one mount path are refused with INVALID_ARGUMENT",
            requires: [.dataLinks], needs: [.dataLinks]
        ) { context in
            let links = try context.dataLinks
            var request = try context.request("twomounts")
            var second = links.writable
            second.mountPath = links.readOnly.mountPath
            request.dataLinks = [links.readOnly, second]
            try await refuses(request, [.invalidArgument], "creating a session with two data-links at \(links.readOnly.mountPath)", context)
        },
        ConformanceCase(
            .create, "repeated-create-is-idempotent",
            rule: "creating a session with the same id again returns the same session and starts nothing new"
        ) { context in
            let request = try context.request("repeat")
            let first = try await context.create(request)
            for attempt in 2...context.repetitions {
                let again = try await context.create(request)
                try context.expect(
                    again.handle == first.handle,
                    "create \(attempt) of session '\(request.sessionID)' returned the handle '\(again.handle)', the first '\(first.handle)'")
                try context.expect(again.sessionID == request.sessionID, "create \(attempt) returned session '\(again.sessionID)'")
            }
            try await context.waitFor([.running], first.handle)
            let again = try await context.create(request)
            try context.expect(again.handle == first.handle, "create after RUNNING returned the handle '\(again.handle)'")
            try context.expect(again.state == .running, "create of a RUNNING session reported \(again.state)")
            let listed = try await context.list()
            let handles = Set(listed.filter { $0.sessionID == request.sessionID || $0.handle == first.handle }.map(\.handle))
            try context.expect(
                handles == [first.handle],
                "listSessions shows \(handles.count) sessions for '\(request.sessionID)' after \(context.repetitions + 1) creates: \(handles.map(\.rawValue).sorted())")
            let created = listed.filter { $0.sessionID.rawValue.hasPrefix(request.sessionID.rawValue) }
            try context.expect(
                Set(created.map(\.handle)).count == 1,
                "listSessions shows \(Set(created.map(\.handle)).count) backend sessions made by \(context.repetitions + 1) creates of '\(request.sessionID)'")
        },
        ConformanceCase(
            .create, "over-quota-refused",
            rule: "a request over the backend's quota is refused with RESOURCE_EXHAUSTED and leaves nothing behind",
            needs: [.overQuotaRequest]
        ) { context in
            guard let make = context.configuration.overQuotaRequest else { return }
            let id = SessionID(rawValue: context.newID("quota"))
            var request = make(id)
            request.sessionID = id
            try await refuses(request, [.resourceExhausted], "creating the over-quota session", context)
        },
        ConformanceCase(
            .create, "missing-reference-not-found",
            rule: "a request naming a missing image, volume or bucket is refused with NOT_FOUND and leaves nothing behind",
            needs: [.missingReferenceRequest]
        ) { context in
            guard let make = context.configuration.missingReferenceRequest else { return }
            let id = SessionID(rawValue: context.newID("missing"))
            var request = make(id)
            request.sessionID = id
            try await refuses(request, [.notFound], "creating a session naming something missing", context)
        },
        ConformanceCase(
            .create, "clone-from-missing-checkpoint-not-found",
            rule: "a clone from a checkpoint that does not exist is refused with NOT_FOUND and leaves nothing behind",
            requires: [.clone]
        ) { context in
            var request = try context.request("noorigin")
            request.restoreFrom = context.checkpoint(of: SessionID(rawValue: context.newID("gone")), "gone")
            try await refuses(request, [.notFound], "cloning from a checkpoint that was never taken", context)
        },
    ]

    /// Requires create to refuse `request` with one of `codes`, and no session with
    /// its id to be listed afterwards.
    static func refuses(
        _ request: ProviderSessionRequest, _ codes: Set<SessionError.Code>, _ what: String, _ context: CaseContext
    ) async throws {
        try await context.expectError(codes, what) {
            try await context.attemptCreate(request)
        }
        let left = try await context.listedHandles(for: request.sessionID)
        try context.expect(left.isEmpty, "after refusing it, listSessions shows session '\(request.sessionID)' (\(left.map(\.rawValue).sorted()))")
    }
}
