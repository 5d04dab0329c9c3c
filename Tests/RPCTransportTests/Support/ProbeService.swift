import RPCInterop
import RPCTransport
import Synchronization

/// A service whose handlers report what happened to them, so tests can check what the
/// transport did to a call on the server side.
final class ProbeService: RPCService, Sendable {
    static let name = "test.Probe"

    /// Counts of events seen by handlers.
    struct Events: Sendable {
        var handlerStarted = 0
        var handlerCancelled = 0
        var messagesWritten = 0
    }

    let events = Mutex(Events())
    private let signal: AsyncStream<String>.Continuation
    /// Names of events in the order they happened ("started", "cancelled", ...).
    let signals: AsyncStream<String>

    init() {
        (signals, signal) = AsyncStream.makeStream(of: String.self)
    }

    static func method(_ name: String) -> RPCMethod { RPCMethod(service: Self.name, method: name) }

    func registerMethods(with router: inout RPCRouter) {
        router.unary(Self.method("Echo")) { (request: EchoMessage, context: ServerContext) in
            context.response.initial = context.metadata
            context.response.trailing = context.metadata
            return request
        }
        router.unary(Self.method("Fail")) { (request: EchoMessage, _) -> EchoMessage in
            throw RPCError(.failedPrecondition, String(decoding: request.payload, as: UTF8.self))
        }
        router.unary(Self.method("Crash")) { (_: EchoMessage, _) -> EchoMessage in
            throw ProbeFailure(detail: "internal detail 7f3a")
        }
        router.unary(Self.method("Sleep")) { [self] (request: EchoMessage, _) -> EchoMessage in
            record { $0.handlerStarted += 1 }
            signal.yield("started")
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                record { $0.handlerCancelled += 1 }
                signal.yield("cancelled")
                throw error
            }
            return request
        }
        router.serverStreaming(Self.method("Flood")) { [self] (request: EchoMessage, writer: ServerResponseWriter<EchoMessage>, _) in
            let message = EchoMessage(payload: [UInt8](repeating: 7, count: 64 * 1024))
            for _ in 0..<Int(request.payload.first ?? 0) * 16 {
                try await writer.write(message)
                record { $0.messagesWritten += 1 }
            }
        }
    }

    private func record(_ update: (inout Events) -> Void) {
        events.withLock { update(&$0) }
    }
}

/// An error that is not an ``RPCError``, with text that must never reach a client.
struct ProbeFailure: Error {
    var detail: String
}
