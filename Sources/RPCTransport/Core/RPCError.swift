/// A failed call: a gRPC status code, a message a person can act on, the trailing
/// metadata sent with it and, for logs only, the underlying cause.
///
/// Handlers throw `RPCError` to finish a call with a status; any other error thrown by
/// a handler is reported to the caller as ``Code-swift.struct/internalError`` with a
/// generic message, and the original error is logged, never sent.
///
/// ```swift
/// throw RPCError(.failedPrecondition, "session s-42 is RUNNING; pause it first")
/// ```
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A gRPC status code. Extensible: unknown numeric codes are carried as they are.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric code as it appears in the `grpc-status` trailer.
        public let rawValue: Int

        /// Creates a code from its numeric value.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Not an error; only used in trailers and status conversions.
        public static let ok = Code(rawValue: 0)
        /// The operation was cancelled, typically by the caller.
        public static let cancelled = Code(rawValue: 1)
        /// An error that fits no other code.
        public static let unknown = Code(rawValue: 2)
        /// The caller gave a bad argument; the message names it.
        public static let invalidArgument = Code(rawValue: 3)
        /// The deadline passed before the operation finished.
        public static let deadlineExceeded = Code(rawValue: 4)
        /// The entity asked for does not exist (or is not visible to the caller).
        public static let notFound = Code(rawValue: 5)
        /// The entity the caller tried to create exists already.
        public static let alreadyExists = Code(rawValue: 6)
        /// The caller may not do this.
        public static let permissionDenied = Code(rawValue: 7)
        /// A quota or a size limit was exceeded.
        public static let resourceExhausted = Code(rawValue: 8)
        /// The system is not in a state that allows this; the message names the state.
        public static let failedPrecondition = Code(rawValue: 9)
        /// A concurrency conflict; retry at a higher level.
        public static let aborted = Code(rawValue: 10)
        /// A value is outside its valid range.
        public static let outOfRange = Code(rawValue: 11)
        /// The method or service is not implemented.
        public static let unimplemented = Code(rawValue: 12)
        /// A bug: an invariant was broken.
        public static let internalError = Code(rawValue: 13)
        /// The service cannot be reached right now; safe to retry.
        public static let unavailable = Code(rawValue: 14)
        /// Data was lost or corrupted.
        public static let dataLoss = Code(rawValue: 15)
        /// The caller has no valid credentials.
        public static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
            "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED",
        ]

        /// The canonical upper-case name, such as `NOT_FOUND`.
        public var description: String {
            Self.names.indices.contains(rawValue) ? Self.names[rawValue] : "CODE_\(rawValue)"
        }
    }

    /// The status code.
    public var code: Code
    /// What went wrong, for a person; sent percent-encoded in `grpc-message`.
    public var message: String
    /// Trailing metadata sent with the status.
    public var metadata: Metadata
    /// The underlying error, for logs; never sent to the peer.
    public var cause: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, metadata: Metadata = [:], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.metadata = metadata
        self.cause = cause
    }

    /// `CODE: message`.
    public var description: String {
        message.isEmpty ? code.description : "\(code): \(message)"
    }

    public static func == (lhs: RPCError, rhs: RPCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.metadata == rhs.metadata
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
