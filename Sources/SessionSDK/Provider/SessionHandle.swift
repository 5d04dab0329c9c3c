/// A provider's opaque reference to the backend resources of one session: a job id,
/// a StatefulSet name, a process group. The gateway stores it and hands it back,
/// including after a restart (see ``SessionProvider/recoverSession(_:)``).
public struct SessionHandle: RawRepresentable, Hashable, Sendable, CustomStringConvertible, Codable {
    /// The provider's encoding; the gateway never interprets it.
    public let rawValue: String
    /// Wraps a provider's encoding.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The encoding.
    public var description: String { rawValue }
}
