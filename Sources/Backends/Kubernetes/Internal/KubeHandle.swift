import SessionSDK

/// A session's handle: `kubernetes:<namespace>:<session id>`. The namespace says where
/// the session's objects are (the configured namespace may change later); every name
/// follows from the session id (``KubeNames``).
struct KubeHandle: Hashable, Sendable {
    /// The namespace of the session's objects.
    var namespace: String
    /// The session.
    var sessionID: SessionID

    /// The prefix of every handle.
    static let scheme = "kubernetes"

    /// Creates a handle.
    init(namespace: String, sessionID: SessionID) {
        self.namespace = namespace
        self.sessionID = sessionID
    }

    /// Parses a handle.
    ///
    /// - Throws: `NOT_FOUND` for a handle this backend did not make (it names nothing here).
    init(_ handle: SessionHandle) throws(SessionError) {
        let parts = handle.rawValue.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.scheme, KubeNames.isDNSLabel(String(parts[1])), !parts[2].isEmpty else {
            throw SessionError(.notFound, "'\(DataLinkRules.printable(handle.rawValue))' is not a handle of the Kubernetes backend; no such session")
        }
        namespace = String(parts[1])
        sessionID = SessionID(rawValue: String(parts[2]))
    }

    /// The encoded handle.
    var handle: SessionHandle { SessionHandle(rawValue: "\(Self.scheme):\(namespace):\(sessionID.rawValue)") }
    /// The session's names.
    var names: KubeNames { KubeNames(sessionID: sessionID) }
}
