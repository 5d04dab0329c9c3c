public import RPCTransport
public import SessionSDK

/// The checks every string and number of an API message passes before it becomes part
/// of a model value, with errors that name the field as the `.proto` file spells it.
///
/// protobuf-c stores strings as C strings, so a NUL character would silently cut a
/// string short on the wire; every conversion into a model type therefore refuses
/// strings that contain one.
///
/// ```swift
/// let name = try APIFieldRules.required(request.name, field: "name")
/// let workspace = try WorkspaceID(validating: request.workspace)
/// ```
public enum APIFieldRules {
    /// The workspace a request addresses when it names none.
    public static let defaultWorkspace = WorkspaceID.default

    /// The text, unless it contains a NUL character.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field`.
    @discardableResult
    public static func text(_ value: String, field: String) throws(SessionError) -> String {
        if value.utf8.contains(0) { throw invalid(field, "contains a NUL character") }
        return value
    }

    /// The text, unless it is empty or contains a NUL character.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field`.
    @discardableResult
    public static func required(_ value: String, field: String) throws(SessionError) -> String {
        if value.isEmpty { throw invalid(field, "is required") }
        return try text(value, field: field)
    }

    /// Every element of `values` checked with ``text(_:field:)``, each named `field[index]`.
    public static func texts(_ values: [String], field: String) throws(SessionError) -> [String] {
        for (index, value) in values.enumerated() { try text(value, field: "\(field)[\(index)]") }
        return values
    }

    /// A time in seconds since the Unix epoch: finite and not negative.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field`.
    public static func time(_ timestamp: ProtobufTimestamp?, field: String) throws(SessionError) -> Double {
        guard let timestamp else { return 0 }
        guard timestamp.seconds >= 0, (0..<1_000_000_000).contains(timestamp.nanos) else {
            throw invalid(field, "must be a time after the Unix epoch, with nanos from 0 to 999999999")
        }
        return timestamp.secondsSince1970
    }

    /// A span of time that may not be negative; nil when absent (for a duration limit:
    /// no limit; a zero limit is a limit).
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field`.
    public static func duration(_ message: ProtobufDuration?, field: String) throws(SessionError) -> Duration? {
        guard let message else { return nil }
        guard message.seconds >= 0, (0..<1_000_000_000).contains(message.nanos) else {
            throw invalid(field, "must not be negative, with nanos from 0 to 999999999")
        }
        return message.duration
    }

    /// A count or size that may not be negative.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field`.
    public static func nonNegative(_ value: Int64, field: String) throws(SessionError) -> Int64 {
        guard value >= 0 else { throw invalid(field, "must not be negative") }
        return value
    }

    /// The error for a bad field: `INVALID_ARGUMENT` with a message that starts with
    /// the field's name.
    public static func invalid(_ field: String, _ problem: String) -> SessionError {
        SessionError(.invalidArgument, "\(field) \(problem)")
    }
}

extension WorkspaceID {
    /// The workspace a request names; ``WorkspaceID/default`` when it names none.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` when the text contains a NUL.
    public init(validating value: String, field: String = "workspace") throws(SessionError) {
        self.init(rawValue: value.isEmpty ? Self.default.rawValue : try APIFieldRules.text(value, field: field))
    }
}

extension SessionID {
    /// The session id a request names.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` when it is empty or contains a NUL.
    public init(validating value: String, field: String = "session_id") throws(SessionError) {
        self.init(rawValue: try APIFieldRules.required(value, field: field))
    }
}

extension CheckpointID {
    /// The checkpoint id a request names.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` when it is empty or contains a NUL.
    public init(validating value: String, field: String = "checkpoint_id") throws(SessionError) {
        self.init(rawValue: try APIFieldRules.required(value, field: field))
    }
}

extension SessionHandle {
    /// The provider handle a request carries.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` when it is empty or contains a NUL.
    public init(validating value: String, field: String = "handle") throws(SessionError) {
        self.init(rawValue: try APIFieldRules.required(value, field: field))
    }
}
