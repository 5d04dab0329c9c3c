public import SessionSDK

extension Session.Connection {
    /// The connection of a message.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` when the URL is missing or a string
    ///   contains a NUL.
    public init(_ message: V1Connection, field: String = "connection") throws(SessionError) {
        self.init(
            url: try APIFieldRules.required(message.url, field: "\(field).url"),
            accessToken: try APIFieldRules.text(message.accessToken, field: "\(field).access_token")
        )
    }
}

extension V1Connection {
    /// The message of a connection, access token included: use it only for
    /// `GetSessionConnection` and for providers' statuses.
    public init(_ connection: Session.Connection) {
        self.init(url: connection.url, accessToken: connection.accessToken)
    }
}
