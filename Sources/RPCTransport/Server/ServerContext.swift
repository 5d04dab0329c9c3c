public import Logging

/// What a handler knows about the call it serves.
///
/// Interceptors may return a modified context to the handlers after them, for example
/// with the authenticated caller stored in ``attributes``.
public struct ServerContext: Sendable {
    /// The method called.
    public var method: RPCMethod
    /// The caller's custom metadata (reserved HTTP/2 and gRPC headers removed).
    public var metadata: Metadata
    /// When the caller stops waiting, from `grpc-timeout`; nil when none was sent.
    public var deadline: ContinuousClock.Instant?
    /// The remote peer, such as `ipv4:127.0.0.1:51234` or `unix:/run/sessiongw.sock`.
    public var peer: String
    /// The common name of the client certificate, when the listener requires mutual TLS
    /// (the certificate was verified against its trust roots); nil otherwise.
    public var clientCertificateCommonName: String?
    /// The logger for this call, with `rpc.method` and `rpc.peer` metadata.
    public var logger: Logger
    /// Values attached by interceptors.
    public var attributes: Attributes
    /// Metadata the handler sends back: initial metadata before the first response
    /// message, trailing metadata with the status.
    public let response: ServerResponseMetadata

    /// Creates a context; the transport creates one per call.
    public init(
        method: RPCMethod,
        metadata: Metadata,
        deadline: ContinuousClock.Instant?,
        peer: String,
        logger: Logger,
        response: ServerResponseMetadata = ServerResponseMetadata()
    ) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
        self.logger = logger
        self.attributes = Attributes()
        self.response = response
    }
}

extension ServerContext {
    /// A key for a typed value in ``ServerContext/attributes``.
    public protocol AttributeKey {
        /// The type of the value.
        associatedtype Value: Sendable
    }

    /// Typed values attached to a call by interceptors.
    public struct Attributes: Sendable {
        private var storage: [ObjectIdentifier: any Sendable] = [:]

        /// Creates an empty set of attributes.
        public init() {}

        /// The value stored under a key.
        public subscript<Key: AttributeKey>(_ key: Key.Type) -> Key.Value? {
            get { storage[ObjectIdentifier(key)] as? Key.Value }
            set { storage[ObjectIdentifier(key)] = newValue }
        }
    }
}
