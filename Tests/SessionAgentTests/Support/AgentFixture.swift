import Foundation
import RPCTransport
import SessionAPI
import SessionAgent
import Testing

/// An ``Agent`` on 127.0.0.1 in a new directory, for the tests of this target.
enum AgentFixture {
    /// Starts an agent (with `ide`, if given), calls `body` with it, its address and a
    /// client holding its token, and returns what ``Agent/run(onListening:)`` returned.
    /// Without an IDE command the agent is stopped after `body`; with one it ends with
    /// its IDE command (or when `body` stops it).
    @discardableResult
    static func run(
        ide: Agent.IDECommand? = nil, _ body: (Agent, String, AgentServiceClient) async throws -> Void
    ) async throws -> TerminalExit? {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let agent = try Agent(configuration: .init(
            listen: "127.0.0.1:0", token: token,
            terminals: .init(
                stateDirectory: work.appendingPathComponent("state"), workingDirectory: work.path,
                environment: ["PATH": "/usr/bin:/bin", "PS1": "$ "]),
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
            guard let address = await iterator.next() else { throw AgentTestFailure("the agent did not listen") }
            do {
                try await withClient(address) { client in try await body(agent, address, client) }
            } catch {
                agent.stop()
                throw error
            }
            if ide == nil { agent.stop() }
            return try await group.next() ?? nil
        }
    }

    /// The token every fixture agent has.
    static let token = "agent-test-token-\(UUID().uuidString)"

    /// Runs `body` with a client of `address` sending `metadata` (by default the token).
    static func withClient(
        _ address: String, metadata: Metadata = ["authorization": .string("Bearer \(token)")],
        _ body: (AgentServiceClient) async throws -> Void
    ) async throws {
        let client = RPCClient(target: try #require(RPCClient.Target(address: address)))
        do {
            try await body(AgentServiceClient(client: client, metadata: metadata))
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }
}

/// A test step that did not happen.
struct AgentTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits up to 30 s for `condition`.
func eventually(_ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw AgentTestFailure("condition not met in 30 s") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
