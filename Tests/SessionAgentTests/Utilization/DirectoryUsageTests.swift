import Foundation
import Glibc
@testable import SessionAgent
import SessionSDK
import Testing

/// A home on elastic storage is measured by what its files occupy (`du -x`), not by its
/// filesystem: hard links once, links not followed, mounts under it skipped.
@Suite("Directory usage: what a home on elastic storage holds")
struct DirectoryUsageTests {
    /// A directory of its own under the temporary directory, removed afterwards.
    private func withDirectory(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/sessiongw-du-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/projects/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(directory)
    }

    /// Writes `bytes` of random data (not sparse, not compressible) to `path`.
    private func write(_ bytes: Int, to path: String) throws {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<(bytes + 7) / 8).map { _ in generator.next() as UInt64 }
        try words.withUnsafeBytes { Data($0.prefix(bytes)) }.write(to: URL(fileURLWithPath: path))
    }

    @Test("files count by their blocks, a hard link once, a symbolic link not followed")
    func countsFiles() async throws {
        try await withDirectory { directory in
            let empty = DirectoryUsage.walk(directory, skipping: [])
            try write(1 << 20, to: directory + "/projects/model.bin")
            let one = DirectoryUsage.walk(directory, skipping: [])
            #expect(one - empty >= 1 << 20 && one - empty < (1 << 20) + (64 << 10), "\(empty) → \(one)")

            #expect(link(directory + "/projects/model.bin", directory + "/projects/copy.bin") == 0)
            let outside = FileManager.default.temporaryDirectory.path + "/sessiongw-du-outside-\(UUID().uuidString)"
            try write(2 << 20, to: outside)
            defer { unlink(outside) }
            #expect(symlink(outside, directory + "/projects/outside") == 0)
            let linked = DirectoryUsage.walk(directory, skipping: [])
            #expect(linked - one < 64 << 10, "a second name and a link add no data: \(one) → \(linked)")

            try write(512 << 10, to: directory + "/projects/data/table.csv")
            #expect(DirectoryUsage.walk(directory, skipping: []) - linked >= 512 << 10)
        }
    }

    @Test("a mount point under the directory is skipped whole")
    func skipsMountPoints() async throws {
        try await withDirectory { directory in
            try write(1 << 20, to: directory + "/projects/data/table.csv")
            let all = DirectoryUsage.walk(directory, skipping: [])
            let skipped = DirectoryUsage.walk(directory, skipping: [directory + "/projects/data"])
            #expect(all - skipped >= 1 << 20, "\(all) vs \(skipped)")
        }
    }

    @Test("mount points under the directory come from mountinfo, escapes undone, the directory itself and others not")
    func readsMountPoints() {
        let mountInfo = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            40 22 0:50 / /workspace rw,relatime - nfs4 fs-1.efs:/ rw
            41 40 0:50 /scratch /workspace/data/scratch rw,relatime - nfs4 fs-1.efs:/ rw
            42 40 0:51 / /workspace/data/my\\040link ro,relatime - nfs4 fs-2.efs:/ ro
            43 22 0:52 / /workspace2 rw - tmpfs tmpfs rw
            """
        #expect(DirectoryUsage.mountPoints(under: "/workspace", mountInfo: mountInfo)
            == ["/workspace/data/scratch", "/workspace/data/my link"])
    }

    @Test("a walk is reused for twenty times as long as it took, then repeated")
    func reusesWalks() async throws {
        try await withDirectory { directory in
            let usage = DirectoryUsage(directory: directory)
            let start = ContinuousClock.now
            let first = usage.bytes(now: start)
            try write(1 << 20, to: directory + "/projects/new.bin")
            #expect(usage.bytes(now: start) == first, "at once: the last walk")
            #expect(usage.bytes(now: start + .seconds(60)) - first >= 1 << 20, "a minute later: walked again")
        }
    }

    @Test("the sampler of a home on elastic storage reports what it holds and no total")
    func samplesDirectory() async throws {
        try await withDirectory { directory in
            try write(2 << 20, to: directory + "/projects/model.bin")
            let sample = UtilizationSampler(directory: directory, diskUsage: .directory, path: "/nonexistent").sample()
            #expect(sample.diskTotalBytes == 0)
            #expect(sample.diskUsedBytes >= 2 << 20 && sample.diskUsedBytes < 3 << 20, "\(sample.diskUsedBytes)")
        }
    }

    @Test("stop ends a sampler's run at once, not after its interval")
    func stopEndsRun() async throws {
        try await withDirectory { directory in
            let sampler = UtilizationSampler(interval: .seconds(60), directory: directory, diskUsage: .directory, path: "/nonexistent")
            let run = Task { await sampler.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while sampler.latest == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(sampler.latest != nil, "the first sample is taken at once")
            let start = ContinuousClock.now
            sampler.stop()
            await run.value
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }
}
