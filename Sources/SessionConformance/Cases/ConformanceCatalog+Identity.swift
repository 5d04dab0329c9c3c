import SessionSDK

extension ConformanceCatalog {
    /// Name, version, capabilities, readiness, and `UNIMPLEMENTED` without a capability.
    static let identity: [ConformanceCase] = [
        ConformanceCase(
            .identity, "name-and-version-well-formed",
            rule: "the provider's name is lower-case letters, digits, '-' and '.', and its version is a semantic version"
        ) { context in
            let identity = context.provider.identity
            try context.expect(
                IdentityRules.isWellFormedName(identity.name),
                "the name '\(identity.name.prefix(100))' is not 1 to 63 lower-case letters, digits, '-' and '.' starting with a letter or digit")
            try context.expect(
                IdentityRules.isSemanticVersion(identity.version),
                "the version '\(identity.version.prefix(100))' is not a semantic version such as 1.2.0")
        },
        ConformanceCase(
            .identity, "capabilities-known",
            rule: "every capability the provider reports is one this SDK defines"
        ) { context in
            let unknown = context.provider.capabilities.subtracting(ProviderCapability.known).map(\.rawValue).sorted()
            try context.expect(
                unknown.isEmpty,
                "unknown capabilities reported: \(unknown.joined(separator: ", ")); known are \(ProviderCapability.known.map(\.rawValue).sorted().joined(separator: ", "))")
        },
        ConformanceCase(
            .identity, "capabilities-stable",
            rule: "the provider reports the same identity and capabilities on every read"
        ) { context in
            let provider = context.provider
            let identity = provider.identity
            for read in 1...(context.repetitions * 2) {
                let capabilities = provider.capabilities
                try context.expect(
                    capabilities == context.capabilities,
                    "read \(read) gave [\(IdentityRules.names(capabilities))], the run started with [\(IdentityRules.names(context.capabilities))]")
                try context.expect(provider.identity == identity, "read \(read) gave another identity: \(provider.identity)")
                _ = try? await provider.probe()
            }
        },
        ConformanceCase(
            .identity, "probe-ready",
            rule: "the probe reports the provider ready"
        ) { context in
            var last = ProviderReadiness(ready: false, message: "")
            let ready = try await context.eventually(within: context.timeouts.probe) {
                last = try await context.step("probe") { try await context.provider.probe() }
                return last.ready
            }
            try context.expect(ready, "the probe still reported not ready after \(context.timeouts.probe): \(last.message.prefix(300))")
        },
        ConformanceCase(
            .identity, "watch-unimplemented-without-capability",
            rule: "without WATCH, watchSessions fails with UNIMPLEMENTED",
            without: [.watch]
        ) { context in
            let stream = context.provider.watchSessions()
            let ending = try await TimeLimit.run(context.timeouts.watchEvent) { () async -> String in
                do {
                    for try await status in stream {
                        return "it yielded a status for '\(status.sessionID)' (\(status.state))"
                    }
                    return "it ended without an error"
                } catch let error as SessionError {
                    return error.code == .unimplemented ? "" : "it failed with \(error)"
                } catch {
                    return "it failed with \(error), not a SessionError"
                }
            }
            guard let ending else {
                throw CaseFailure("it neither yielded nor ended within \(context.timeouts.watchEvent)")
            }
            try context.expect(ending.isEmpty, "\(ending); expected UNIMPLEMENTED")
        },
        ConformanceCase(
            .identity, "checkpoints-unimplemented-without-capability",
            rule: "without CHECKPOINTS, createCheckpoint and deleteCheckpoint fail with UNIMPLEMENTED",
            without: [.checkpoints]
        ) { context in
            let request = try context.request("nocp")
            let handle = try await context.create(request).handle
            let checkpoint = context.checkpoint(of: request.sessionID, "nocp")
            try await context.expectError([.unimplemented], "createCheckpoint") {
                _ = try await context.provider.createCheckpoint(handle, checkpoint: checkpoint)
            }
            try await context.expectError([.unimplemented], "deleteCheckpoint") {
                try await context.provider.deleteCheckpoint(checkpoint)
            }
        },
        ConformanceCase(
            .identity, "clone-unimplemented-without-capability",
            rule: "without CLONE, creating a session from a checkpoint fails with UNIMPLEMENTED",
            without: [.clone]
        ) { context in
            var request = try context.request("noclone")
            request.restoreFrom = context.checkpoint(of: request.sessionID, "noclone")
            try await context.expectError([.unimplemented], "createSession with restoreFrom") {
                try await context.attemptCreate(request)
            }
        },
        ConformanceCase(
            .identity, "execute-unimplemented-without-capability",
            rule: "without EXECUTE, execute fails with UNIMPLEMENTED",
            without: [.execute]
        ) { context in
            let handle = try await context.create(try context.request("noexec")).handle
            try await context.expectError([.unimplemented], "execute") {
                _ = try await context.provider.execute(["true"], in: handle)
            }
        },
        ConformanceCase(
            .identity, "pause-resume-unimplemented-without-capability",
            rule: "without PAUSE_RESUME, pauseSession and resumeSession fail with UNIMPLEMENTED",
            without: [.pauseResume]
        ) { context in
            let request = try context.request("nopause")
            let handle = try await context.create(request).handle
            try await context.expectError([.unimplemented], "pauseSession") {
                _ = try await context.provider.pauseSession(handle)
            }
            try await context.expectError([.unimplemented], "resumeSession") {
                _ = try await context.provider.resumeSession(handle, request: request)
            }
        },
        ConformanceCase(
            .identity, "build-log-unimplemented-without-capability",
            rule: "without ENVIRONMENT_BUILDS, buildLog fails with UNIMPLEMENTED",
            without: [.environmentBuilds]
        ) { context in
            let handle = try await context.create(try context.request("nobuild")).handle
            try await context.expectError([.unimplemented], "buildLog") {
                _ = try await context.provider.buildLog(handle, from: 0)
            }
        },
    ]
}
