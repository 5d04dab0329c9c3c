import Foundation
@testable import LocalBackend
import SessionSDK
import Testing

/// Growing homes (a btrfs filesystem per session, `growingHomes`): a home has the size
/// asked for, writes past it fail with "no space", resizeHome grows it online and
/// shrinks it no further than what it holds, a clone's home fits its checkpoint's files,
/// and deleting sessions leaves no mount behind.
@Suite("Local provider: growing homes")
struct LocalProviderHomeImageTests {
    @Test("size, no space past it, grow and shrink online, clones that fit, nothing left mounted")
    func growingHomes() async throws {
        try await LocalSandbox.run(growingHomes: true) { sandbox in
            #expect(sandbox.provider.capabilities.contains(.growingHome))
            let created = try await sandbox.provider.createSession(sandbox.request("grow", homeVolume: .new(sizeBytes: 300 << 20)))
            try await sandbox.waitFor([.running], created.handle)
            func run(_ script: String) async throws -> ExecutionResult {
                try await sandbox.provider.execute(["/bin/sh", "-c", script], in: created.handle)
            }
            #expect(try await run("df -m /workspace | tail -1 | awk '{print $2}'").output == "300\n")
            let refused = try await run("fallocate -l 400M big")
            #expect(refused.exitCode != 0 && refused.errorOutput.contains("No space left on device"), "\(refused)")

            #expect(try await sandbox.provider.resizeHome(created.handle, toBytes: 600 << 20) == 600 << 20)
            #expect(try await run("fallocate -l 400M big && df -m /workspace | tail -1 | awk '{print $2}'").output == "600\n")
            let shrunk = try await sandbox.provider.resizeHome(created.handle, toBytes: 300 << 20)
            #expect(shrunk == 600 << 20, "a home is not shrunk below what it holds")

            let checkpoint = try await sandbox.provider.createCheckpoint(
                created.handle, checkpoint: Checkpoint(
                    id: CheckpointID(rawValue: "c-grow"), session: created.sessionID, name: "full", trigger: .periodic, sizeBytes: 0,
                    location: "", createdAt: 0))
            let clone = try await sandbox.provider.createSession(
                sandbox.request("clone", homeVolume: .new(sizeBytes: 300 << 20), restoreFrom: checkpoint))
            try await sandbox.waitFor([.running], clone.handle)
            let cloned = try await sandbox.provider.execute(
                ["/bin/sh", "-c", "stat -c %s big && df -m /workspace | tail -1 | awk '{print $4}'"], in: clone.handle)
            let lines = cloned.output.split(separator: "\n")
            #expect(lines.first == "\(400 << 20)", "the clone has the checkpoint's files: \(cloned)")
            #expect((Int(lines.last ?? "") ?? 0) >= 250, "and room for more: \(cloned)")

            for handle in [created.handle, clone.handle] { try await sandbox.provider.deleteSession(handle) }
            let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            #expect(!mounts.contains(sandbox.directory), "a home is still mounted")
        }
        let plain = try await LocalSandbox.run { sandbox in sandbox.provider.capabilities }
        #expect(!plain.contains(.growingHome), "growing homes are off by default")
    }
}
