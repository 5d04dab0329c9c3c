@preconcurrency internal import Crypto
internal import Foundation
public import SessionSDK

/// Each session's agent token: the HMAC-SHA256 of the session's id under a key the
/// gateway keeps in its data directory (`agent-token.key`, mode 0600), as hex, prefixed
/// `sga-`.
///
/// The token is derived, never stored: every gateway on the same key (a restarted one,
/// or several sharing a store) computes the same token for a session, so a running
/// agent stays reachable across gateway restarts. A session's code may read its own
/// token (the agent runs in the session), and with it reach only its own agent, which
/// runs code as the session anyway: no token can be derived from another without the
/// key.
public struct AgentTokens: Sendable {
    private let key: SymmetricKey

    /// The prefix of every agent token.
    public static let prefix = "sga-"

    /// Tokens under a key of at least 32 bytes.
    public init(key: [UInt8]) {
        precondition(key.count >= 32, "an agent token key needs at least 32 bytes")
        self.key = SymmetricKey(data: key)
    }

    /// The tokens under the key at `DIRECTORY/agent-token.key`, created when missing.
    ///
    /// - Throws: ``ConfigurationError`` when the file holds no usable key or cannot be
    ///   written.
    public static func loadOrCreate(inDirectory directory: String) throws -> AgentTokens {
        AgentTokens(key: try KeyFile.loadOrCreate(at: directory + "/agent-token.key"))
    }

    /// The token of `session`'s agent.
    public func token(for session: SessionID) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(session.rawValue.utf8), using: key)
        return Self.prefix + mac.map { String(format: "%02x", $0) }.joined()
    }
}
