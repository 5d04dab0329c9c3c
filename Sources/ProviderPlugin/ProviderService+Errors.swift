import Logging
import RPCTransport
import SessionAPI
import SessionSDK

extension ProviderService {
    /// Runs one provider call for an RPC and turns what it throws into the call's
    /// status (see ``status(for:context:)``).
    static func serving<Response>(
        _ context: ServerContext, _ body: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await body()
        } catch {
            throw status(for: error, context: context)
        }
    }

    /// The error the transport answers a call with, for an error a provider threw:
    ///
    /// - a ``SessionError``: an ``RPCError`` with the same code number and message; the
    ///   cause is kept only as the `RPCError`'s cause, which is never sent;
    /// - cancellation: unchanged, so the transport answers `CANCELLED`;
    /// - anything else: logged with a correlation id, answered `INTERNAL` with a
    ///   message that holds only that id.
    static func status(for error: any Error, context: ServerContext) -> any Error {
        switch error {
        case let error as SessionError:
            return error.rpcError
        case is CancellationError:
            return error
        default:
            let correlationID = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            context.logger.info(
                "provider failed with an error that is not a SessionError",
                metadata: ["error": "\(error)", "rpc.correlation_id": "\(correlationID)"])
            return RPCError(.internalError, "internal error in the provider (correlation id \(correlationID))", cause: error)
        }
    }
}
