import Foundation
import Glibc
@testable import SessionAgent
import SessionSDK
import Testing

@Suite("Process tree: the session's processes from /proc")
struct ProcessTreeTests {
    @Test("a stat line reads past a command name with spaces and parentheses")
    func parsesStat() throws {
        let line = "4242 (my (odd) cmd) S 17 4242 4242 0 -1 4194560 300 0 0 0 120 30 5 6 20 0 1 0 100 123456 789 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        let process = try #require(ProcessTree.parse(stat: line))
        #expect(process == ProcessTree.Process(pid: 4242, parent: 17, cpuTicks: 120 + 30 + 5 + 6, residentPages: 789))
        #expect(ProcessTree.parse(stat: "not a stat line") == nil)
    }

    @Test("descendants are the root, its children and theirs, and nothing else")
    func descendants() {
        let tree = ProcessTree(processes: [
            .init(pid: 1, parent: 0, cpuTicks: 0, residentPages: 0), .init(pid: 10, parent: 1, cpuTicks: 0, residentPages: 0),
            .init(pid: 11, parent: 10, cpuTicks: 0, residentPages: 0), .init(pid: 12, parent: 11, cpuTicks: 0, residentPages: 0),
            .init(pid: 20, parent: 1, cpuTicks: 0, residentPages: 0),
        ])
        #expect(Set(tree.descendants(of: 10).map(\.pid)) == [10, 11, 12])
        #expect(tree.descendants(of: 99).isEmpty)
    }

    @Test("a busy child's CPU shows in the sampler's figure; an idle one's does not")
    func samplesBusyChild() async throws {
        let sampler = UtilizationSampler(directory: FileManager.default.temporaryDirectory.path, path: "/nonexistent")
        sampler.sample()
        try await Task.sleep(for: .milliseconds(500))
        let idle = sampler.sample()
        #expect(idle.cpuCores < 0.9, "\(idle)")
        #expect(idle.gpus.isEmpty && idle.memoryUsedBytes > 0 && idle.memoryLimitBytes >= idle.memoryUsedBytes)
        #expect(idle.diskTotalBytes > 0 && idle.diskUsedBytes > 0)

        // posix_spawn, as the agent spawns (Foundation's Process handles children process-wide).
        var busy: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", "while :; do :; done"]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        try #require(posix_spawn(&busy, "/bin/sh", nil, nil, arguments, nil) == 0)
        defer {
            kill(busy, SIGKILL)
            var status: Int32 = 0
            waitpid(busy, &status, 0)
        }
        sampler.sample()
        try await Task.sleep(for: .seconds(2))
        let loaded = sampler.sample()
        #expect(loaded.cpuCores > 0.3, "a child spinning for 2 s shows (a loaded two-core machine gives it less than a CPU): \(loaded)")
    }
}
