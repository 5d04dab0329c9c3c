import SessionAPI

/// How a session's connection looks to people.
enum ConnectionView {
    /// The URL to open and the access token it needs.
    static func detail(_ connection: V1Connection) -> KeyValueList {
        var list = KeyValueList()
        list.append("URL", connection.url)
        list.append("Token", connection.accessToken)
        return list
    }
}
