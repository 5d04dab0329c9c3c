import RPCTransport
import SessionAPI

/// How a session's connection looks to people.
enum ConnectionView {
    /// The URL to open, the access token it needs, and when the token expires (for a
    /// link from the gateway's connection proxy).
    static func detail(_ connection: V1Connection) -> KeyValueList {
        var list = KeyValueList()
        list.append("URL", connection.url)
        list.append("Token", connection.accessToken)
        if let expiry = connection.accessTokenExpireTime {
            list.append("Expires", HumanUnits.timestamp(expiry.secondsSince1970))
        }
        return list
    }
}
