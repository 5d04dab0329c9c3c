import SessionSDK

extension ConformanceCatalog {
    /// Checkpoints and clones.
    static let checkpoints: [ConformanceCase] = [
        ConformanceCase(
            .checkpoints, "checkpoint-returns-location",
            rule: "createCheckpoint returns the checkpoint with its id, session and a location, and taking it again returns the same",
            requires: [.checkpoints]
        ) { context in
            let (request, running) = try await context.createRunning("cp")
            let checkpoint = context.checkpoint(of: request.sessionID, "cp")
            let taken = try await context.takeCheckpoint(checkpoint, of: running.handle)
            try context.expect(taken.id == checkpoint.id, "the checkpoint came back with the id '\(taken.id)', asked for '\(checkpoint.id)'")
            try context.expect(taken.session == request.sessionID, "the checkpoint came back for session '\(taken.session)'")
            try context.expect(!taken.location.isEmpty, "the checkpoint came back without a location")
            let again = try await context.takeCheckpoint(checkpoint, of: running.handle)
            try context.expect(
                again.location == taken.location,
                "taking checkpoint '\(checkpoint.id)' again gave the location '\(again.location.prefix(200))', first '\(taken.location.prefix(200))'")
        },
        ConformanceCase(
            .checkpoints, "restore-into-clone",
            rule: "a clone starts with the files as they were when the checkpoint was taken",
            requires: [.checkpoints, .clone, .execute]
        ) { context in
            let (request, running) = try await context.createRunning("origin")
            try await context.runSucceeding("mkdir -p conformance && echo before > conformance/state.txt", in: running.handle)
            let taken = try await context.takeCheckpoint(context.checkpoint(of: request.sessionID, "restore"), of: running.handle)
            try await context.runSucceeding("echo after > conformance/state.txt && echo later > conformance/later.txt", in: running.handle)
            let clone = try await startClone(from: taken, context)
            let state = try await context.run("cat conformance/state.txt", in: clone)
            try context.expect(
                state.exitCode == 0 && state.output == "before\n",
                "the clone's conformance/state.txt " + (state.exitCode == 0 ? "holds '\(state.output.prefix(100))', not 'before'" : "cannot be read: \(state.errorOutput.prefix(200))"))
            let later = try await context.run("test -e conformance/later.txt", in: clone)
            try context.expect(later.exitCode != 0, "the clone has conformance/later.txt, written after the checkpoint")
        },
        ConformanceCase(
            .checkpoints, "clone-isolated",
            rule: "a clone and its origin are isolated: files written in one do not appear in the other",
            requires: [.checkpoints, .clone, .execute]
        ) { context in
            let (request, running) = try await context.createRunning("isoorigin")
            try await context.runSucceeding("mkdir -p conformance && echo shared > conformance/base.txt", in: running.handle)
            let taken = try await context.takeCheckpoint(context.checkpoint(of: request.sessionID, "iso"), of: running.handle)
            let clone = try await startClone(from: taken, context)
            try await context.runSucceeding("echo clone > conformance/from-clone.txt", in: clone)
            try await context.runSucceeding("echo origin > conformance/from-origin.txt", in: running.handle)
            let inOrigin = try await context.run("test -e conformance/from-clone.txt", in: running.handle)
            try context.expect(inOrigin.exitCode != 0, "a file written in the clone appeared in its origin")
            let inClone = try await context.run("test -e conformance/from-origin.txt", in: clone)
            try context.expect(inClone.exitCode != 0, "a file written in the origin appeared in the clone")
        },
        ConformanceCase(
            .checkpoints, "mounted-data-excluded",
            rule: "a checkpoint holds the session's own files, not the data mounted from data-links",
            requires: [.checkpoints, .clone, .execute, .dataLinks], needs: [.dataLinks]
        ) { context in
            let path = try context.dataLinks.writable.mountPath
            let (request, running) = try await context.createRunning("cpdata", withDataLinks: true)
            let name = context.newID("conformance")
            try await context.runSucceeding("echo own > own-\(name).txt && echo mounted > '\(path)/\(name)'", in: running.handle)
            do {
                let taken = try await context.takeCheckpoint(context.checkpoint(of: request.sessionID, "data"), of: running.handle)
                let clone = try await startClone(from: taken, context)
                let own = try await context.run("cat own-\(name).txt", in: clone)
                try context.expect(own.output == "own\n", "the clone lacks the session's own file own-\(name).txt")
                let mounted = try await context.run("test -e '\(path)/\(name)'", in: clone)
                try context.expect(mounted.exitCode != 0, "the clone, which mounts no data-link, has \(path)/\(name) from the checkpoint")
                _ = try? await context.run("rm -f '\(path)/\(name)'", in: running.handle)
            } catch {
                _ = try? await context.run("rm -f '\(path)/\(name)'", in: running.handle)
                throw error
            }
        },
        ConformanceCase(
            .checkpoints, "delete-checkpoint-idempotent",
            rule: "deleting a checkpoint succeeds, deleting it again succeeds, and a clone from it then fails with NOT_FOUND",
            requires: [.checkpoints]
        ) { context in
            let (request, running) = try await context.createRunning("cpdel")
            let taken = try await context.takeCheckpoint(context.checkpoint(of: request.sessionID, "del"), of: running.handle)
            for attempt in 1...context.repetitions {
                try await context.step("deleting the checkpoint (\(attempt))") { try await context.provider.deleteCheckpoint(taken) }
            }
            if context.capabilities.contains(.clone) {
                var clone = try context.request("cpdelclone")
                clone.restoreFrom = taken
                try await refuses(clone, [.notFound], "cloning from the deleted checkpoint", context)
            }
        },
        ConformanceCase(
            .checkpoints, "delete-refuses-foreign-location",
            rule: "deleteCheckpoint refuses with INVALID_ARGUMENT a location the backend did not make for that checkpoint, and deletes nothing",
            requires: [.checkpoints, .clone]
        ) { context in
            let (request, running) = try await context.createRunning("cpforeign")
            let taken = try await context.takeCheckpoint(context.checkpoint(of: request.sessionID, "own"), of: running.handle)
            var otherCheckpoint = taken
            otherCheckpoint.id = CheckpointID(rawValue: context.newID("forged"))
            var otherSession = taken
            otherSession.session = SessionID(rawValue: context.newID("forged"))
            var elsewhere = taken
            elsewhere.location = "/var/lib/another-backend/\(taken.session)/\(taken.id).tar.gz"
            for (forged, what) in [
                (otherCheckpoint, "a checkpoint of another id at this checkpoint's location"),
                (otherSession, "a checkpoint of another session at this checkpoint's location"),
                (elsewhere, "this checkpoint at a location of another backend"),
            ] {
                _ = try await context.expectError([.invalidArgument], "deleting \(what)") {
                    try await context.provider.deleteCheckpoint(forged)
                }
            }
            // The real checkpoint is still there: a clone starts from it.
            _ = try await startClone(from: taken, context)
        },
    ]

    /// Creates a clone from `checkpoint` and waits until it is RUNNING.
    static func startClone(from checkpoint: Checkpoint, _ context: CaseContext) async throws -> SessionHandle {
        var request = try context.request("clone")
        request.restoreFrom = checkpoint
        let created = try await context.create(request)
        return try await context.waitFor([.running], created.handle).handle
    }
}
