internal import Synchronization

/// The metadata a handler sends back: initial metadata (sent with the response
/// headers, before the first message) and trailing metadata (sent with the status).
///
/// Initial metadata set after the first response message has gone out is ignored;
/// trailing metadata can be set until the handler returns.
public final class ServerResponseMetadata: Sendable {
    private let state = Mutex((initial: Metadata(), trailing: Metadata()))

    /// Creates empty response metadata.
    public init() {}

    /// Metadata sent with the response headers.
    public var initial: Metadata {
        get { state.withLock { $0.initial } }
        set { state.withLock { $0.initial = newValue } }
    }

    /// Metadata sent with the status in the trailers.
    public var trailing: Metadata {
        get { state.withLock { $0.trailing } }
        set { state.withLock { $0.trailing = newValue } }
    }
}
