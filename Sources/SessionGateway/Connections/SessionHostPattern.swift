internal import Foundation
internal import SessionSDK

/// A wildcard host that gives every session its own origin on the connection proxy,
/// such as `{session}.sessions.example.com`: the session's id is the first label.
/// With one origin per session, a page one session serves cannot read another
/// session's pages or send its cookies, which a single host shared by path cannot
/// prevent.
struct SessionHostPattern: Hashable, Sendable {
    /// The placeholder for the session's id.
    static let placeholder = "{session}"

    /// What comes before the session's id (lowercase).
    let head: String
    /// What comes after it (lowercase), such as `.sessions.example.com`.
    let tail: String

    /// The pattern, or nil when it does not hold `{session}` exactly once, in front of
    /// a dot, among host-name characters only.
    init?(_ pattern: String) {
        let lower = pattern.lowercased()
        guard let range = lower.range(of: Self.placeholder) else { return nil }
        head = String(lower[..<range.lowerBound])
        tail = String(lower[range.upperBound...])
        let allowed = (head + tail).utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): true
            default: false
            }
        }
        guard allowed, tail.hasPrefix("."), tail.count > 1, !tail.hasSuffix("."), !head.contains(".") else { return nil }
    }

    /// The host of a session.
    func host(for session: SessionID) -> String {
        head + session.rawValue + tail
    }

    /// The session a request's `Host` header (with or without a port) names, or nil
    /// when it is not one of the pattern's hosts.
    func session(inHost host: String) -> SessionID? {
        var name = host.lowercased()
        if let colon = name.lastIndex(of: ":"), !name.contains("]") { name = String(name[..<colon]) }
        guard name.hasPrefix(head), name.hasSuffix(tail), name.count > head.count + tail.count else { return nil }
        let label = name.dropFirst(head.count).dropLast(tail.count)
        let valid = label.count <= 63 && label.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): true
            default: false
            }
        }
        return valid ? SessionID(rawValue: String(label)) : nil
    }
}
