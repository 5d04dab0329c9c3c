import RPCTransport
import SessionSDK

extension RemoteProvider {
    /// The ``SessionError`` for a failed call of `method`.
    ///
    /// - A status the plugin sent keeps its code and message.
    /// - `UNAVAILABLE` names the address: the transport reports refused, reset and
    ///   closed connections with it, and a plugin with it when its own backend is down;
    ///   the two cannot be told apart here, and both mean "retry".
    /// - `DEADLINE_EXCEEDED` names the call and its limit.
    /// - A status number without a ``SessionError/Code`` becomes `UNKNOWN`.
    /// - Cancellation becomes `CANCELLED`; anything else `INTERNAL`.
    ///
    /// The original error is kept as the cause, for logs.
    func sessionError(for error: any Error, calling method: RPCMethod) -> SessionError {
        switch error {
        case let error as SessionError:
            return error
        case let error as RPCError:
            return sessionError(for: error, calling: method)
        case is CancellationError:
            return SessionError(.cancelled, "\(method.method) on the provider at \(address) was cancelled", cause: error)
        default:
            return SessionError(.internalError, "\(method.method) on the provider at \(address) failed", cause: error)
        }
    }

    private func sessionError(for error: RPCError, calling method: RPCMethod) -> SessionError {
        switch error.code {
        case .unavailable:
            return SessionError(.unavailable, "the provider at \(address) is unavailable: \(error.message)", cause: error)
        case .deadlineExceeded:
            let limit = configuration.timeout(for: method).components.seconds
            return SessionError(
                .deadlineExceeded,
                "\(method.method) on the provider at \(address) did not finish within \(limit) s: \(error.message)",
                cause: error)
        default:
            guard let code = SessionError.Code(grpcStatus: error.code.rawValue) else {
                return SessionError(
                    .unknown, "the provider at \(address) answered with status \(error.code): \(error.message)",
                    cause: error)
            }
            return SessionError(code, error.message, cause: error)
        }
    }
}
