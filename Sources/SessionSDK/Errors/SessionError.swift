/// A failure a caller of the session platform sees: a code that maps one to one to a
/// gRPC status code, a message a person can act on, and, for logs only, a cause.
///
/// Providers throw `SessionError` from every requirement of ``SessionProvider``; the
/// gateway sends it unchanged as the RPC status.
///
/// ```swift
/// throw SessionError(.failedPrecondition, "session 'train' is RUNNING; pause it before changing its size")
/// ```
public struct SessionError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; each code is a gRPC status code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The gRPC status code number.
        public let rawValue: Int

        private init(_ rawValue: Int) { self.rawValue = rawValue }

        /// The operation was cancelled (gRPC 1).
        public static let cancelled = Code(1)
        /// An error that fits no other code (gRPC 2).
        public static let unknown = Code(2)
        /// A field is invalid; the message names it (gRPC 3).
        public static let invalidArgument = Code(3)
        /// The deadline passed (gRPC 4).
        public static let deadlineExceeded = Code(4)
        /// The object does not exist or is not visible to the caller (gRPC 5).
        public static let notFound = Code(5)
        /// An object with that name exists with a different spec (gRPC 6).
        public static let alreadyExists = Code(6)
        /// The caller may not do this (gRPC 7).
        public static let permissionDenied = Code(7)
        /// A quota or size limit was reached (gRPC 8).
        public static let resourceExhausted = Code(8)
        /// The object's state does not allow this; the message names the state (gRPC 9).
        public static let failedPrecondition = Code(9)
        /// A conflicting operation is in progress; retry (gRPC 10).
        public static let aborted = Code(10)
        /// A value is outside its valid range (gRPC 11).
        public static let outOfRange = Code(11)
        /// The capability or method is not implemented (gRPC 12).
        public static let unimplemented = Code(12)
        /// A bug; logged with a correlation id (gRPC 13).
        public static let internalError = Code(13)
        /// The backend cannot be reached; safe to retry (gRPC 14).
        public static let unavailable = Code(14)
        /// Data was lost or corrupted (gRPC 15).
        public static let dataLoss = Code(15)
        /// The caller is not authenticated (gRPC 16).
        public static let unauthenticated = Code(16)

        /// Every code, for mapping tables.
        public static let all: [Code] = [
            .cancelled, .unknown, .invalidArgument, .deadlineExceeded, .notFound, .alreadyExists,
            .permissionDenied, .resourceExhausted, .failedPrecondition, .aborted, .outOfRange, .unimplemented,
            .internalError, .unavailable, .dataLoss, .unauthenticated,
        ]

        /// The code for a gRPC status number; nil for OK and numbers without a code here.
        public init?(grpcStatus: Int) {
            guard let code = Self.all.first(where: { $0.rawValue == grpcStatus }) else { return nil }
            self = code
        }

        /// The gRPC name, such as `FAILED_PRECONDITION`.
        public var description: String {
            switch rawValue {
            case 1: "CANCELLED"
            case 2: "UNKNOWN"
            case 3: "INVALID_ARGUMENT"
            case 4: "DEADLINE_EXCEEDED"
            case 5: "NOT_FOUND"
            case 6: "ALREADY_EXISTS"
            case 7: "PERMISSION_DENIED"
            case 8: "RESOURCE_EXHAUSTED"
            case 9: "FAILED_PRECONDITION"
            case 10: "ABORTED"
            case 11: "OUT_OF_RANGE"
            case 12: "UNIMPLEMENTED"
            case 13: "INTERNAL"
            case 14: "UNAVAILABLE"
            case 15: "DATA_LOSS"
            default: "UNAUTHENTICATED"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String
    /// The underlying error, for logs; never sent to callers.
    public var cause: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `CODE: message`.
    public var description: String { "\(code): \(message)" }
}
