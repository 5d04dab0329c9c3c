import Foundation
@testable import LocalBackend
import SessionSDK
import Testing

/// Checkpoints and clones of Local sessions.
@Suite("Local provider checkpoints")
struct LocalProviderCheckpointTests {
    private func checkpoint(_ id: String, of handle: SessionHandle) -> Checkpoint {
        Checkpoint(
            id: CheckpointID(rawValue: id), session: SessionID(rawValue: handle.rawValue), name: id, trigger: .periodic,
            sizeBytes: 0, location: "", createdAt: Date().timeIntervalSince1970)
    }

    @Test("a checkpoint archives the home without data/; a clone starts from it with its own isolated files")
    func checkpointAndClone() async throws {
        try await LocalSandbox.run { sandbox in
            try sandbox.makeDirectory("\(sandbox.buckets)/results", file: "big.bin", contents: "mounted data")
            let links = [LocalSandbox.link("results", bucket: "results", prefix: "", readOnly: false)]
            let original = try await sandbox.provider.createSession(sandbox.request("orig", dataLinks: links)).handle
            try await sandbox.waitFor([.running], original)
            let setup = try await sandbox.provider.execute(
                ["sh", "-c", "echo v1 > model.txt && mkdir -p sub/data && echo nested > sub/data/keep.txt"], in: original)
            #expect(setup.exitCode == 0)

            let taken = try await sandbox.provider.createCheckpoint(original, checkpoint: checkpoint("cp-1", of: original))
            #expect(taken.location == sandbox.provider.layout.checkpointArchive(session: original.rawValue, checkpoint: "cp-1"))
            #expect(taken.sizeBytes > 0)
            let size = try FileManager.default.attributesOfItem(atPath: taken.location)[.size] as? NSNumber
            #expect(size?.int64Value == taken.sizeBytes)
            let listing = try await ChildProcess.run(
                ToolPaths().tar, ["-tzf", taken.location], environment: [:], scratchDirectory: sandbox.directory, timeout: .seconds(10))
            let members = Set(listing.output.split(separator: "\n").map(String.init))
            #expect(members.contains("./model.txt"))
            #expect(members.contains("./sub/data/keep.txt"))
            #expect(!members.contains { $0 == "./data" || $0.hasPrefix("./data/") })

            // Taking the same checkpoint again returns the existing archive.
            let again = try await sandbox.provider.createCheckpoint(original, checkpoint: checkpoint("cp-1", of: original))
            #expect(again.location == taken.location && again.sizeBytes == taken.sizeBytes)

            let clone = try await sandbox.provider.createSession(sandbox.request("clone", restoreFrom: taken)).handle
            let cloneStatus = try await sandbox.waitFor([.running], clone)
            let clonePort = try #require(connectionPort(cloneStatus.connection))
            #expect(HTTPProbe.get(port: clonePort, path: "/model.txt")?.body == "v1\n")
            #expect(HTTPProbe.get(port: clonePort, path: "/sub/data/keep.txt")?.body == "nested\n")
            #expect(HTTPProbe.get(port: clonePort, path: "/data/results/big.bin")?.status == 404)

            // Isolated futures: writes in one are not seen in the other.
            #expect(try await sandbox.provider.execute(["sh", "-c", "echo v2-clone > model.txt"], in: clone).exitCode == 0)
            #expect(try await sandbox.provider.execute(["sh", "-c", "echo only-original > extra.txt"], in: original).exitCode == 0)
            #expect(try await sandbox.provider.execute(["cat", "model.txt"], in: original).output == "v1\n")
            #expect(try await sandbox.provider.execute(["cat", "extra.txt"], in: clone).exitCode != 0)
            #expect(try await sandbox.provider.execute(["cat", "model.txt"], in: clone).output == "v2-clone\n")
        }
    }

    @Test("a paused session can be checkpointed; deleting a checkpoint is idempotent and a clone from it is then NOT_FOUND")
    func deleteCheckpoint() async throws {
        try await LocalSandbox.run { sandbox in
            let handle = try await sandbox.provider.createSession(sandbox.request()).handle
            try await sandbox.waitFor([.running], handle)
            _ = try await sandbox.provider.pauseSession(handle)
            let taken = try await sandbox.provider.createCheckpoint(handle, checkpoint: checkpoint("on-pause", of: handle))
            #expect(FileManager.default.fileExists(atPath: taken.location))

            try await sandbox.provider.deleteCheckpoint(taken)
            #expect(!FileManager.default.fileExists(atPath: taken.location))
            try await sandbox.provider.deleteCheckpoint(taken)

            let clone = sandbox.request("clone", restoreFrom: taken)
            #expect(await errorCode { _ = try await sandbox.provider.createSession(clone) } == .notFound)
            #expect(try await sandbox.provider.listSessions().count == 1)
        }
    }

    @Test("checkpoint requests naming other sessions or foreign locations are refused, and nothing is removed")
    func checkpointRefusals() async throws {
        try await LocalSandbox.run { sandbox in
            let handle = try await sandbox.provider.createSession(sandbox.request()).handle
            let other = checkpoint("cp", of: SessionHandle(rawValue: "someone-else"))
            #expect(await errorCode { _ = try await sandbox.provider.createCheckpoint(handle, checkpoint: other) } == .invalidArgument)
            let badID = checkpoint("../x", of: handle)
            #expect(await errorCode { _ = try await sandbox.provider.createCheckpoint(handle, checkpoint: badID) } == .invalidArgument)
            #expect(await errorCode {
                _ = try await sandbox.provider.createCheckpoint(SessionHandle(rawValue: "gone"), checkpoint: checkpoint("cp", of: SessionHandle(rawValue: "gone")))
            } == .notFound)

            let precious = "\(sandbox.directory)/precious.tar.gz"
            try "keep".write(toFile: precious, atomically: true, encoding: .utf8)
            var foreign = checkpoint("cp", of: handle)
            foreign.location = precious
            #expect(await errorCode { try await sandbox.provider.deleteCheckpoint(foreign) } == .invalidArgument)
            #expect(FileManager.default.fileExists(atPath: precious))
        }
    }
}
