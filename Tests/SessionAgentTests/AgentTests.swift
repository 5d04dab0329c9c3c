import Foundation
import Glibc
import RPCTransport
import SessionAPI
import SessionAgent
import SessionSDK
import Testing

/// The agent as the supervisor of the session's IDE command: it reports the command
/// and its readiness, and ends with it.
@Suite("Agent", .timeLimit(.minutes(2)))
struct AgentTests {
    @Test("the IDE command is reported ready once it serves on its port; stopping the agent ends it")
    func readyThenStopped() async throws {
        let port = try freePort()
        let exit = try await AgentFixture.run(
            ide: .init(command: ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1"], port: port)
        ) { agent, _, client in
            var status = try await client.getStatus(.init())
            let pid = try #require(status.ide?.pid)
            #expect(pid > 0)
            let deadline = ContinuousClock.now + .seconds(30)
            while status.ide?.ready != true, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                status = try await client.getStatus(.init())
            }
            #expect(status.ide?.ready == true)
            agent.stop()
        }
        #expect(exit == TerminalExit(code: nil, signal: SIGTERM))
    }

    @Test("the agent ends with its IDE command, with the command's status, and ends the terminals' processes")
    func endsWithTheIDE() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("ide-go-\(UUID())").path
        let pidFile = marker + ".terminal-pid"
        defer { unlink(marker); unlink(pidFile) }
        let exit = try await AgentFixture.run(
            ide: .init(command: ["/bin/sh", "-c", "while [ ! -e \(marker) ]; do sleep 0.05; done; exit 7"], port: nil)
        ) { agent, _, client in
            let terminal = try #require(
                try await client.createTerminal(.init(name: "t", command: ["/bin/sh", "-c", "echo $$ > \(pidFile); exec sleep 600"]))
                    .terminal)
            #expect(terminal.running)
            while (try? String(contentsOfFile: pidFile))?.hasSuffix("\n") != true { try await Task.sleep(for: .milliseconds(20)) }
            #expect(FileManager.default.createFile(atPath: marker, contents: nil))
        }
        #expect(exit == TerminalExit(code: 7, signal: nil))
        let terminalPID = try #require(pid_t(try String(contentsOfFile: pidFile).trimmingCharacters(in: .whitespacesAndNewlines)))
        let deadline = ContinuousClock.now + .seconds(10)
        while kill(terminalPID, 0) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(kill(terminalPID, 0) != 0, "the terminal's process outlived the agent")
    }
}

private func freePort() throws -> Int {
    let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(probe) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(probe, pointer, length) == 0 && getsockname(probe, pointer, &length) == 0
        }
    }
    try #require(bound)
    return Int(UInt16(bigEndian: address.sin_port))
}
