/// Who a proxied request comes from, as ``ConnectionAuthorizer`` established it.
struct ConnectionCaller: Hashable, Sendable {
    /// The caller's name.
    var caller: String
    /// Whether it holds the administrator token (every role in every workspace).
    var administrator: Bool
    /// The API token it proved itself with, if any; checked again on every request.
    var tokenID: String?
}
