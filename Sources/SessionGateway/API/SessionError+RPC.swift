internal import RPCTransport
internal import SessionSDK

extension SessionError {
    /// The RPC status for this error: the same code number and message; the cause
    /// stays in the logs.
    var rpcError: RPCError {
        RPCError(RPCError.Code(rawValue: code.rawValue), message, cause: cause)
    }
}
