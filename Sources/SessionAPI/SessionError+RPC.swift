public import RPCTransport
public import SessionSDK

extension SessionError {
    /// The RPC status for this error: the same code number and message; the cause
    /// stays in the logs (an `RPCError`'s cause is never sent).
    public var rpcError: RPCError {
        RPCError(RPCError.Code(rawValue: code.rawValue), message, cause: cause ?? self)
    }
}
