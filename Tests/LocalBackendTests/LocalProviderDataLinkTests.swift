import Foundation
@testable import LocalBackend
import SessionSDK
import Testing

/// Data-links inside Local sessions: what the session sees at /workspace/data, and
/// what it can write.
@Suite("Local provider data-links")
struct LocalProviderDataLinkTests {
    /// A sandbox with a read-only bucket, a writable bucket prefix with a secret
    /// sibling, and a `file://` directory; and a session mounting all three.
    private func withLinkedSession(
        _ body: (LocalSandbox, SessionHandle) async throws -> Void
    ) async throws {
        try await LocalSandbox.run { sandbox in
            try sandbox.makeDirectory("\(sandbox.buckets)/reference-data/genomes", file: "hg38.txt", contents: "ACGT")
            try sandbox.makeDirectory("\(sandbox.buckets)/team-scratch/projects/a", file: "input.txt", contents: "in")
            try "do not read".write(toFile: "\(sandbox.buckets)/team-scratch/projects/secret.txt", atomically: true, encoding: .utf8)
            try sandbox.makeDirectory("\(sandbox.directory)/cluster/shared", file: "notes.txt", contents: "cluster")
            let links = [
                LocalSandbox.link("genomes", bucket: "reference-data", prefix: "genomes", readOnly: true),
                LocalSandbox.link("scratch", bucket: "team-scratch", prefix: "projects/a", readOnly: false),
                LocalSandbox.link("cluster", scheme: .file, bucket: "", prefix: String("\(sandbox.directory)/cluster/shared".dropFirst()), readOnly: true),
            ]
            let handle = try await sandbox.provider.createSession(sandbox.request(dataLinks: links)).handle
            try await sandbox.waitFor([.running], handle)
            try await body(sandbox, handle)
        }
    }

    @Test("the running session serves its data-links' files from /workspace/data/<name>")
    func sessionSeesLinks() async throws {
        try await withLinkedSession { sandbox, handle in
            let port = try #require(connectionPort(try await sandbox.provider.describeSession(handle).connection))
            #expect(HTTPProbe.get(port: port, path: "/data/genomes/hg38.txt")?.body == "ACGT")
            #expect(HTTPProbe.get(port: port, path: "/data/scratch/input.txt")?.body == "in")
            #expect(HTTPProbe.get(port: port, path: "/data/cluster/notes.txt")?.body == "cluster")
        }
    }

    @Test("a read-only link refuses writes, even after trying to remount or unmount it")
    func readOnlyRefusesWrites() async throws {
        try await withLinkedSession { sandbox, handle in
            for target in ["data/genomes", "data/cluster"] {
                let write = try await sandbox.provider.execute(["sh", "-c", "echo x > \(target)/new.txt"], in: handle)
                #expect(write.exitCode != 0)
                #expect(write.errorOutput.contains("Read-only file system"))
                let remount = try await sandbox.provider.execute(
                    ["sh", "-c", "mount -o remount,bind,rw /workspace/\(target) || umount /workspace/\(target); echo y > /workspace/\(target)/new.txt"],
                    in: handle)
                #expect(remount.exitCode != 0)
            }
            #expect(!FileManager.default.fileExists(atPath: "\(sandbox.buckets)/reference-data/genomes/new.txt"))
            #expect(!FileManager.default.fileExists(atPath: "\(sandbox.directory)/cluster/shared/new.txt"))
            let read = try await sandbox.provider.execute(["cat", "data/genomes/hg38.txt"], in: handle)
            #expect(read.output == "ACGT")
        }
    }

    @Test("a writable link accepts writes, which land in the bucket's prefix")
    func writableAcceptsWrites() async throws {
        try await withLinkedSession { sandbox, handle in
            let write = try await sandbox.provider.execute(["sh", "-c", "mkdir -p data/scratch/out && echo result > data/scratch/out/r.txt"], in: handle)
            #expect(write.exitCode == 0, "\(write.errorOutput)")
            let onHost = try String(contentsOfFile: "\(sandbox.buckets)/team-scratch/projects/a/out/r.txt", encoding: .utf8)
            #expect(onHost == "result\n")
        }
    }

    @Test("nothing outside a link's directory is reachable through it, and the backend's directories are hidden")
    func confinement() async throws {
        try await withLinkedSession { sandbox, handle in
            let sibling = try await sandbox.provider.execute(["cat", "/workspace/data/scratch/../secret.txt"], in: handle)
            #expect(sibling.exitCode != 0)
            let listing = try await sandbox.provider.execute(["ls", "/workspace/data/scratch/.."], in: handle)
            #expect(listing.output.split(separator: "\n").sorted() == ["cluster", "genomes", "scratch"])

            // `..` of a link is /workspace/data (the gateway's, not writable by the session), never the bucket.
            _ = try await sandbox.provider.execute(["sh", "-c", "echo e > /workspace/data/scratch/../escape.txt"], in: handle)
            #expect(!FileManager.default.fileExists(atPath: "\(sandbox.buckets)/team-scratch/projects/escape.txt"))

            // The bucket and root directories do not exist inside the session.
            for hidden in [sandbox.buckets, sandbox.root, sandbox.directory] {
                let seen = try await sandbox.provider.execute(["ls", "-A", hidden], in: handle)
                #expect(seen.exitCode != 0)
                #expect(seen.output.isEmpty, "\(hidden) shows \(seen.output)")
            }
        }
    }

    @Test("a link whose prefix leads out of its bucket through a symbolic link is refused")
    func symlinkEscapeRefused() async throws {
        try await LocalSandbox.run { sandbox in
            try sandbox.makeDirectory("\(sandbox.buckets)/tricky")
            try sandbox.makeDirectory("\(sandbox.directory)/private", file: "key", contents: "secret")
            try FileManager.default.createSymbolicLink(
                atPath: "\(sandbox.buckets)/tricky/out", withDestinationPath: "\(sandbox.directory)/private")
            let request = sandbox.request(dataLinks: [LocalSandbox.link("t", bucket: "tricky", prefix: "out", readOnly: false)])
            #expect(await errorCode { _ = try await sandbox.provider.createSession(request) } == .permissionDenied)
        }
    }

    @Test("a file:// link outside the environment's allowed roots is refused, also through a symbolic link")
    func fileLinkOutsideRootsRefused() async throws {
        try await LocalSandbox.run { sandbox in
            try sandbox.makeDirectory("\(sandbox.directory)/private", file: "key", contents: "secret")
            try sandbox.makeDirectory("\(sandbox.directory)/cluster")
            try FileManager.default.createSymbolicLink(
                atPath: "\(sandbox.directory)/cluster/escape", withDestinationPath: "\(sandbox.directory)/private")
            for path in ["\(sandbox.directory)/private", "\(sandbox.directory)/cluster/escape", "\(sandbox.directory)/cluster/../private", "/etc"] {
                let link = LocalSandbox.link("p", scheme: .file, bucket: "", prefix: String(path.dropFirst()), readOnly: true)
                #expect(await errorCode { _ = try await sandbox.provider.createSession(sandbox.request(dataLinks: [link])) } == .permissionDenied, "\(path)")
            }
            #expect(try await sandbox.provider.listSessions().isEmpty)
        }
    }

    @Test("mount paths outside /workspace/data and two links on one path are refused")
    func invalidMountPaths() async throws {
        try await LocalSandbox.run { sandbox in
            try sandbox.makeDirectory("\(sandbox.buckets)/b")
            var outside = LocalSandbox.link("x", bucket: "b", prefix: "", readOnly: true)
            outside.mountPath = "/workspace/data/../../etc"
            #expect(await errorCode { _ = try await sandbox.provider.createSession(sandbox.request(dataLinks: [outside])) } == .invalidArgument)
            let twice = [LocalSandbox.link("x", bucket: "b", prefix: "", readOnly: true),
                         LocalSandbox.link("x", bucket: "b", prefix: "", readOnly: false)]
            #expect(await errorCode { _ = try await sandbox.provider.createSession(sandbox.request(dataLinks: twice)) } == .invalidArgument)
        }
    }
}
