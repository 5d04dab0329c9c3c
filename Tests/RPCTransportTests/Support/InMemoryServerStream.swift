import Synchronization
@testable import RPCTransport

/// The byte side of one server call, in memory: the test pushes request messages and
/// reads the response messages a handler sends.
final class InMemoryServerStream: ServerStreamIO {
    /// Request messages, pushed by the test.
    let requests = MessageQueue()
    /// Response messages, including the last one passed to `finish`; closed by `finish`.
    let responses = MessageQueue()

    private struct State {
        var failSends = false
        var finishedStatus: RPCError??
    }

    private let state = Mutex(State())

    /// Makes every later `send` throw `CANCELLED`, as when the caller has gone.
    func failSends() {
        state.withLock { $0.failSends = true }
    }

    /// The status passed to `finish`: nil before it was called, `.some(nil)` for OK.
    var finishedStatus: RPCError?? { state.withLock { $0.finishedStatus } }

    func nextMessage() async throws -> [UInt8]? {
        try await requests.pop()
    }

    func send(_ message: [UInt8]) async throws {
        if state.withLock({ $0.failSends }) { throw RPCError(.cancelled, "the caller has gone") }
        responses.push(message)
    }

    func finish(lastMessage: [UInt8]?, status: RPCError?) async {
        state.withLock { $0.finishedStatus = .some(status) }
        if let lastMessage { responses.push(lastMessage) }
        responses.close()
    }
}
