public import RPCTransport

/// The client side of the gRPC interoperability test cases, run with our client
/// against any server implementing `grpc.testing.TestService`.
///
/// Each case throws ``InteropFailure`` naming what differed from the interop test
/// description.
///
/// ```swift
/// let client = RPCClient(target: .tcp(host: "127.0.0.1", port: 10000))
/// try await InteropTestCase.largeUnary.run(with: client)
/// ```
public enum InteropTestCase: String, CaseIterable, Sendable {
    case emptyUnary = "empty_unary"
    case largeUnary = "large_unary"
    case clientStreaming = "client_streaming"
    case serverStreaming = "server_streaming"
    case pingPong = "ping_pong"
    case emptyStream = "empty_stream"
    case customMetadata = "custom_metadata"
    case statusCodeAndMessage = "status_code_and_message"
    case specialStatusMessage = "special_status_message"
    case unimplementedMethod = "unimplemented_method"
    case unimplementedService = "unimplemented_service"
    case cancelAfterBegin = "cancel_after_begin"
    case cancelAfterFirstResponse = "cancel_after_first_response"
    case timeoutOnSleepingServer = "timeout_on_sleeping_server"

    /// Runs the case; returns normally when the server behaved as described.
    public func run(with client: RPCClient) async throws {
        switch self {
        case .emptyUnary: try await InteropCalls(client: client).emptyUnary()
        case .largeUnary: try await InteropCalls(client: client).largeUnary()
        case .clientStreaming: try await InteropCalls(client: client).clientStreaming()
        case .serverStreaming: try await InteropCalls(client: client).serverStreaming()
        case .pingPong: try await InteropCalls(client: client).pingPong()
        case .emptyStream: try await InteropCalls(client: client).emptyStream()
        case .customMetadata: try await InteropCalls(client: client).customMetadata()
        case .statusCodeAndMessage: try await InteropCalls(client: client).statusCodeAndMessage()
        case .specialStatusMessage: try await InteropCalls(client: client).specialStatusMessage()
        case .unimplementedMethod: try await InteropCalls(client: client).unimplementedMethod()
        case .unimplementedService: try await InteropCalls(client: client).unimplementedService()
        case .cancelAfterBegin: try await InteropCalls(client: client).cancelAfterBegin()
        case .cancelAfterFirstResponse: try await InteropCalls(client: client).cancelAfterFirstResponse()
        case .timeoutOnSleepingServer: try await InteropCalls(client: client).timeoutOnSleepingServer()
        }
    }
}

/// A difference between what a server did and what an interop case expects.
public struct InteropFailure: Error, CustomStringConvertible {
    /// What differed.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Checks a condition of an interop case.
func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw InteropFailure(message()) }
}

/// Runs `body`, which must fail with `code`; returns the error.
@discardableResult
func expectError(_ code: RPCError.Code, _ body: () async throws -> Void) async throws -> RPCError {
    do {
        try await body()
    } catch let error as RPCError {
        try expect(error.code == code, "expected status \(code), got \(error)")
        return error
    }
    throw InteropFailure("expected status \(code), but the call succeeded")
}
