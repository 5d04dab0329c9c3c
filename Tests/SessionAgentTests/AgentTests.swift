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
        let exit = try await runAgent(
            ide: .init(command: ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1"], port: port)
        ) { agent, client in
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
        let exit = try await runAgent(
            ide: .init(command: ["/bin/sh", "-c", "while [ ! -e \(marker) ]; do sleep 0.05; done; exit 7"], port: nil)
        ) { agent, client in
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

/// Runs an agent with `ide` on a free port, calls `body` with a client holding the
/// token, and returns what ``Agent/run(onListening:)`` returned.
private func runAgent(
    ide: Agent.IDECommand, _ body: (Agent, AgentServiceClient) async throws -> Void
) async throws -> TerminalExit? {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("agent-ide-\(UUID())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let token = UUID().uuidString
    let agent = try Agent(
        configuration: .init(
            listen: "127.0.0.1:0", token: token,
            terminals: .init(
                stateDirectory: work.appendingPathComponent("state"), workingDirectory: work.path,
                environment: ["PATH": "/usr/bin:/bin"]),
            ide: ide))
    let (addresses, found) = AsyncStream.makeStream(of: String.self)
    return try await withThrowingTaskGroup(of: TerminalExit?.self) { group in
        group.addTask {
            try await agent.run { addresses in
                addresses.forEach { found.yield($0) }
                found.finish()
            }
        }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        let client = RPCClient(target: try #require(RPCClient.Target(address: address)))
        do {
            try await body(agent, AgentServiceClient(client: client, metadata: ["authorization": .string("Bearer \(token)")]))
        } catch {
            await client.close()
            agent.stop()
            throw error
        }
        await client.close()
        let exit = try await group.next() ?? nil
        return exit
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
