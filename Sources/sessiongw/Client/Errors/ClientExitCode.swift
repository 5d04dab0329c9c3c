import RPCTransport

/// The exit statuses of the client commands.
///
/// | status | meaning |
/// |---|---|
/// | 0 | success |
/// | 1 | the client could not make the request: a bad address, config file or token file, or nothing in the catalog to default to |
/// | 2 | the gateway refused the request: any status but those below (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, PERMISSION_DENIED, RESOURCE_EXHAUSTED, INTERNAL...) |
/// | 3 | `--wait`: the session failed (FAILED, BUILD_FAILED, deleted) instead of reaching the state waited for |
/// | 4 | `--wait`: the state was not reached within `--timeout` |
/// | 5 | UNAUTHENTICATED: no token, or the gateway does not accept it |
/// | 6 | UNAVAILABLE or DEADLINE_EXCEEDED: the gateway cannot be reached or did not answer |
/// | 64 | usage error, from the argument parser |
enum ClientExitCode {
    /// Success.
    static let success: Int32 = 0
    /// The client could not make the request.
    static let clientError: Int32 = 1
    /// The gateway refused the request.
    static let refused: Int32 = 2
    /// The session failed while the client waited.
    static let sessionFailed: Int32 = 3
    /// The wait timed out.
    static let timedOut: Int32 = 4
    /// The gateway does not accept the credentials.
    static let unauthenticated: Int32 = 5
    /// The gateway cannot be reached.
    static let unavailable: Int32 = 6

    /// The exit status for a call that ended with `code`.
    static func forStatus(_ code: RPCError.Code) -> Int32 {
        switch code {
        case .ok: success
        case .unauthenticated: unauthenticated
        case .unavailable, .deadlineExceeded: unavailable
        default: refused
        }
    }

    /// The table above, for `--help`.
    static let help = """
        Exit status: 0 success; 1 the client could not make the request (bad address, config or token \
        file); 2 the gateway refused it (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, \
        PERMISSION_DENIED and any other status not listed here); 3 --wait: the session failed (FAILED, \
        BUILD_FAILED or deleted); 4 --wait: --timeout passed; 5 UNAUTHENTICATED; 6 UNAVAILABLE or \
        DEADLINE_EXCEEDED (the gateway cannot be reached); 64 usage error. Errors are printed to standard \
        error as 'error: CODE: message'.
        """
}
