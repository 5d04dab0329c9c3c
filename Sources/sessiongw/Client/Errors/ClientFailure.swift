/// A failure the client reports itself, with the exit status it ends with; the gateway's
/// refusals arrive as `RPCError` instead.
///
/// ```swift
/// throw ClientFailure(ClientExitCode.clientError, "preset 'x' has no images")
/// ```
struct ClientFailure: Error, Sendable, CustomStringConvertible {
    /// The exit status, one of ``ClientExitCode``.
    var exitCode: Int32
    /// What went wrong, for a person; printed after `error: `.
    var message: String
    /// A line of advice printed after the message, when there is one.
    var hint: String?

    /// Creates a failure.
    init(_ exitCode: Int32, _ message: String, hint: String? = nil) {
        self.exitCode = exitCode
        self.message = message
        self.hint = hint
    }

    var description: String { message }
}
