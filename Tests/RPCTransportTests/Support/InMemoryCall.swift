import Logging
@testable import RPCTransport

/// One call to a service, dispatched through the handler its `registerMethods`
/// registered and run on a task, with the messages exchanged in memory.
///
/// ```swift
/// let call = try InMemoryCall(HealthService(), RPCMethod(service: "grpc.health.v1.Health", method: "Check"))
/// try call.send(HealthCheckRequest(service: ""))
/// call.closeRequests()
/// let response = try await call.nextResponse(as: HealthCheckResponse.self)
/// ```
final class InMemoryCall: Sendable {
    /// The in-memory stream the handler reads and writes.
    let stream = InMemoryServerStream()
    /// The context the handler got, holding the response metadata it set.
    let context: ServerContext
    private let task: Task<RPCError?, Never>

    /// Starts a call; throws when the service does not register `method`.
    init(_ service: any RPCService, _ method: RPCMethod, metadata: Metadata = [:]) throws {
        var router = RPCRouter()
        service.registerMethods(with: &router)
        guard let handler = router.handler(forPath: method.path) else {
            throw RPCError(.unimplemented, "\(method) is not registered")
        }
        let context = ServerContext(
            method: method, metadata: metadata, deadline: nil, peer: "in-memory",
            logger: Logger(label: "test")
        )
        let stream = self.stream
        self.context = context
        self.task = Task {
            do {
                try await handler(stream, context)
                return nil
            } catch let error as RPCError {
                return error
            } catch {
                return RPCError(.unknown, "\(error)")
            }
        }
    }

    /// Sends one request message.
    func send(_ message: some RPCMessage) throws {
        stream.requests.push(try message.protobufBytes())
    }

    /// Sends raw request bytes.
    func send(bytes: [UInt8]) {
        stream.requests.push(bytes)
    }

    /// Half-closes: the caller sends nothing more.
    func closeRequests() {
        stream.requests.close()
    }

    /// The next response, or nil when the handler finished sending.
    func nextResponse<Message: RPCMessage>(as type: Message.Type) async throws -> Message? {
        guard let bytes = try await stream.responses.pop() else { return nil }
        return try Message(protobufBytes: bytes)
    }

    /// Every remaining response, until the handler finishes sending.
    func remainingResponses<Message: RPCMessage>(as type: Message.Type) async throws -> [Message] {
        var messages: [Message] = []
        while let message = try await nextResponse(as: type) { messages.append(message) }
        return messages
    }

    /// Waits for the handler to return: nil when it succeeded, else the error it threw.
    func status() async -> RPCError? {
        await task.value
    }

    /// Cancels the handler's task, as the transport does when the caller cancels.
    func cancel() {
        task.cancel()
    }
}

extension InMemoryCall {
    /// Runs a unary call to completion: the response, or the error the handler threw.
    static func unary<Request: RPCMessage, Response: RPCMessage>(
        _ service: any RPCService,
        _ method: RPCMethod,
        _ request: Request,
        as response: Response.Type,
        metadata: Metadata = [:]
    ) async throws -> (result: Result<Response, RPCError>, context: ServerContext) {
        let call = try InMemoryCall(service, method, metadata: metadata)
        try call.send(request)
        call.closeRequests()
        if let error = await call.status() { return (.failure(error), call.context) }
        guard let message = try await call.nextResponse(as: Response.self) else {
            throw RPCError(.internalError, "the unary handler succeeded without a response")
        }
        return (.success(message), call.context)
    }
}
