import Foundation
import Glibc
@testable import LocalBackend
import SessionSDK
import Testing

@Suite("Child processes")
struct ChildProcessTests {
    @Test("output and exit codes are returned")
    func runs() async throws {
        let result = try await ChildProcess.run(
            ToolPaths().shell, ["-c", "echo out; echo err >&2; exit 7"], environment: [:], scratchDirectory: "/tmp", timeout: .seconds(10))
        #expect(result == ExecutionResult(exitCode: 7, output: "out\n", errorOutput: "err\n"))
    }

    @Test("a child that overruns its timeout is killed, reaped, and reported as DEADLINE_EXCEEDED")
    func timeout() async throws {
        let child = try ChildProcess.spawn(ToolPaths().shell, ["-c", "sleep 30"], environment: [:])
        let started = ContinuousClock.now
        await #expect(throws: SessionError.self) { _ = try await child.waitForExit(timeout: .milliseconds(200)) }
        #expect(ContinuousClock.now - started < .seconds(5))
        var status: Int32 = 0
        #expect(waitpid(child.pid, &status, WNOHANG) == -1)  // already reaped: no zombie
        #expect(ProcessTable.entry(pid: child.pid) == nil)
    }

    @Test("children start with default signal handling even when the parent ignores SIGPIPE")
    func signalsReset() async throws {
        // Swift programs commonly ignore SIGPIPE; the child must not inherit that.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let result = try await ChildProcess.run(
            ToolPaths().shell, ["-c", "grep SigIgn /proc/self/status"], environment: [:], scratchDirectory: "/tmp", timeout: .seconds(10))
        let mask = UInt64(result.output.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", radix: 16)
        let ignored = try #require(mask)
        #expect(ignored & (1 << (UInt64(SIGPIPE) - 1)) == 0)
    }

    @Test("wait statuses decode")
    func waitStatus() {
        #expect(ChildProcess.termination(fromWaitStatus: 3 << 8) == .exited(3))
        #expect(ChildProcess.termination(fromWaitStatus: 9) == .signaled(9))
        #expect(ChildProcess.Termination.signaled(15).exitCode == 143)
    }
}
