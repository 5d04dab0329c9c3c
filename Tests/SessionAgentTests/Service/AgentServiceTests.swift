import Foundation
import RPCTransport
import SessionAPI
import SessionAgent
import SessionSDK
import Testing

/// The agent over the real transport: its token, terminals created, listed, attached
/// (scrollback replayed, exclusive control, window sizes) and deleted, and precise
/// errors for bad requests.
@Suite("Agent service", .timeLimit(.minutes(2)))
struct AgentServiceTests {
    @Test("calls without the session's token are UNAUTHENTICATED")
    func token() async throws {
        try await AgentFixture.run { agent, address, _ in
            for metadata: Metadata in [[:], ["authorization": "Bearer wrong-token"], ["authorization": "session-token"]] {
                try await AgentFixture.withClient(address, metadata: metadata) { client in
                    await expectStatus(.unauthenticated) { _ = try await client.listTerminals(.init()) }
                }
            }
            try await AgentFixture.withClient(address) { client in
                let status = try await client.getStatus(.init())
                #expect(status.version == Agent.version)
            }
        }
    }

    @Test("create, list, attach and type, resize, detach, attach again with the scrollback, delete")
    func terminalRoundTrip() async throws {
        try await AgentFixture.run { agent, address, _ in
            try await AgentFixture.withClient(address) { client in
                let created = try await client.createTerminal(.init(command: ["/bin/sh"])).terminal
                let name = try #require(created?.name)
                #expect(created?.running == true)
                #expect(try await client.listTerminals(.init()).terminals.map(\.name) == [name])

                try await client.attach(name, size: AgentV1WindowSize(rows: 33, columns: 99)) { writer, reader in
                    try await writer.write(.init(kind: .input(Array("stty size; echo first-$((4*4))\r".utf8))))
                    try await reader.read(until: "first-16")
                    #expect(reader.text.contains("33 99"))
                    try await writer.write(.init(kind: .windowSize(.init(rows: 50, columns: 140))))
                    try await writer.write(.init(kind: .input(Array("stty size\r".utf8))))
                    try await reader.read(until: "50 140")
                }
                let listed = try await client.listTerminals(.init()).terminals.first
                #expect(listed?.lastAttachTime != nil)
                try await eventually { try await client.listTerminals(.init()).terminals.first?.attached == false }

                try await client.attach(name) { _, reader in
                    try await reader.read(until: "first-16")
                }
                _ = try await client.deleteTerminal(.init(name: name))
                #expect(try await client.listTerminals(.init()).terminals.isEmpty)
                await expectStatus(.notFound) { _ = try await client.deleteTerminal(.init(name: name)) }
            }
        }
    }

    @Test("a second client's attach ends the first one's stream with the reason")
    func exclusiveAttach() async throws {
        try await AgentFixture.run { agent, address, _ in
            try await AgentFixture.withClient(address) { client in
                _ = try await client.createTerminal(.init(name: "pair", command: ["/bin/sh"]))
                try await client.attach("pair") { firstWriter, first in
                    try await firstWriter.write(.init(kind: .input(Array("echo ready-$((1+2))\r".utf8))))
                    try await first.read(until: "ready-3")
                    try await client.attach("pair") { _, second in
                        try await second.read(until: "ready-3")
                        let end = try await first.readToEnd()
                        #expect(end == .detached(.init(reason: "another client attached to terminal 'pair'")))
                    }
                }
            }
        }
    }

    @Test("bad requests get precise statuses")
    func badRequests() async throws {
        try await AgentFixture.run { agent, address, _ in
            try await AgentFixture.withClient(address) { client in
                await expectStatus(.invalidArgument) { _ = try await client.createTerminal(.init(name: "Not A Name")) }
                await expectStatus(.failedPrecondition) {
                    _ = try await client.createTerminal(.init(name: "missing", command: ["/no/such/program"]))
                }
                _ = try await client.createTerminal(.init(name: "taken", command: ["/bin/sh"]))
                await expectStatus(.alreadyExists) { _ = try await client.createTerminal(.init(name: "taken")) }
                await expectStatus(.notFound) {
                    try await client.attach("nobody") { _, reader in _ = try await reader.readToEnd() }
                }
                await expectStatus(.invalidArgument) {
                    try await client.attachTerminal { writer, responses in
                        try await writer.write(.init(kind: .input([0x61])))
                        for try await _ in responses {}
                    }
                }
            }
        }
    }
}

// MARK: Support

extension AgentServiceClient {
    /// Attaches (sending `open`), runs `body`, and hangs up.
    fileprivate func attach(
        _ name: String, size: AgentV1WindowSize? = nil,
        _ body: (ClientRequestWriter<AgentV1AttachTerminalRequest>, inout AttachReader) async throws -> Void
    ) async throws {
        try await attachTerminal { writer, responses in
            try await writer.write(.init(kind: .open(.init(name: name, windowSize: size))))
            var reader = AttachReader(iterator: responses.makeAsyncIterator())
            try await body(writer, &reader)
        }
    }
}

/// Reads an attachment's responses, keeping the output as text.
private struct AttachReader {
    var iterator: ClientResponseStream<AgentV1AttachTerminalResponse>.AsyncIterator
    var text = ""

    mutating func read(until marker: String) async throws {
        while !text.contains(marker) {
            guard let response = try await iterator.next() else { throw AgentTestFailure("the stream ended before '\(marker)': \(text.suffix(300))") }
            if case .output(let bytes) = response.kind { text += String(decoding: bytes, as: UTF8.self) }
        }
    }

    /// Reads to the end; returns the last response that was not output.
    mutating func readToEnd() async throws -> AgentV1AttachTerminalResponse.Kind? {
        var last: AgentV1AttachTerminalResponse.Kind?
        while let response = try await iterator.next() {
            if case .output(let bytes) = response.kind { text += String(decoding: bytes, as: UTF8.self) } else { last = response.kind }
        }
        return last
    }
}

private func expectStatus(
    _ code: RPCError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("no error; expected \(code)", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}
