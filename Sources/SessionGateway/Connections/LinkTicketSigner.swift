@preconcurrency internal import Crypto
internal import Foundation
public import SessionSDK

/// Signs and checks ``LinkTicket``s with HMAC-SHA256 under a key the gateway generates
/// once and keeps in its data directory (`link-ticket.key`, mode 0600). The key is never
/// logged or returned; replacing the file ends every outstanding link and cookie.
///
/// A ticket is `sgl-` followed by its base64url JSON payload, `.`, and the base64url MAC
/// of everything before the dot.
public struct LinkTicketSigner: Sendable {
    private let key: SymmetricKey

    /// The prefix of every ticket.
    public static let prefix = "sgl-"

    /// A signer with a key of at least 32 bytes.
    public init(key: [UInt8]) {
        precondition(key.count >= 32, "a link ticket key needs at least 32 bytes")
        self.key = SymmetricKey(data: key)
    }

    /// The signer with the key at `DIRECTORY/link-ticket.key`, creating the key (32
    /// random bytes, hex, mode 0600) when it is missing, and narrowing a key file that
    /// others may read back to 0600.
    ///
    /// - Throws: ``ConfigurationError`` when the file holds no usable key or cannot be
    ///   written.
    public static func loadOrCreate(inDirectory directory: String) throws -> LinkTicketSigner {
        LinkTicketSigner(key: try KeyFile.loadOrCreate(at: directory + "/link-ticket.key"))
    }

    /// The ticket's signed text.
    public func sign(_ ticket: LinkTicket) -> String {
        var payload: [String: Any] = [
            "k": ticket.kind.rawValue, "w": ticket.workspace.rawValue, "s": ticket.session.rawValue,
            "u": ticket.caller, "e": Int64(ticket.expiresAt.rounded(.up)),
        ]
        if ticket.administrator { payload["a"] = true }
        if let tokenID = ticket.tokenID { payload["t"] = tokenID }
        let json = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data()
        let body = Self.prefix + Self.base64URL(json)
        return body + "." + Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key)))
    }

    /// The ticket `text` signs, once it is checked to be of `kind`, for `session` of
    /// `workspace`, and not expired at `now`.
    ///
    /// - Throws: `UNAUTHENTICATED` saying what is wrong, never echoing the ticket.
    public func verify(
        _ text: String, kind: LinkTicket.Kind, workspace: WorkspaceID, session: SessionID, now: Double
    ) throws(SessionError) -> LinkTicket {
        guard text.hasPrefix(Self.prefix), text.utf8.count <= 4096 else {
            throw SessionError(.unauthenticated, "the link's access token is malformed")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = JWTVerifier.base64URL(parts[1]) else {
            throw SessionError(.unauthenticated, "the link's access token is malformed")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(parts[0].utf8), using: key) else {
            throw SessionError(.unauthenticated, "the link's access token is not valid (not signed by this gateway)")
        }
        guard let json = JWTVerifier.base64URL(parts[0].dropFirst(Self.prefix.count)),
              let payload = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let kindText = payload["k"] as? String, let ticketKind = LinkTicket.Kind(rawValue: kindText),
              let workspaceText = payload["w"] as? String, let sessionText = payload["s"] as? String,
              let caller = payload["u"] as? String, !caller.isEmpty,
              let expiry = (payload["e"] as? NSNumber)?.doubleValue
        else {
            throw SessionError(.unauthenticated, "the link's access token is malformed")
        }
        let ticket = LinkTicket(
            kind: ticketKind, workspace: WorkspaceID(rawValue: workspaceText), session: SessionID(rawValue: sessionText),
            caller: caller, administrator: (payload["a"] as? Bool) ?? false, tokenID: payload["t"] as? String,
            expiresAt: expiry)
        guard ticket.kind == kind else {
            throw SessionError(
                .unauthenticated,
                kind == .link ? "a sign-in cookie is not a link's access token" : "a link's access token cannot be used as a cookie")
        }
        guard ticket.workspace == workspace, ticket.session == session else {
            throw SessionError(.unauthenticated, "the link's access token is for another session")
        }
        guard now < ticket.expiresAt else {
            let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: ticket.expiresAt))
            throw SessionError(
                .unauthenticated,
                "the link expired at \(when); get a new one with GetSessionConnection (sessiongw session connect)")
        }
        return ticket
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
