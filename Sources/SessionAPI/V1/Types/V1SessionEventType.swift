package import CProtos

/// What an entry of a session's activity log records.
///
/// The `sessiongw.v1.SessionEventType` enum. Protobuf enums are open: a value this version
/// does not know is kept as ``unrecognized(_:)`` and survives decoding and encoding.
public enum V1SessionEventType: RawRepresentable, Sendable, Hashable {
    /// Not set (`SESSION_EVENT_TYPE_UNSPECIFIED` = 0).
    case unspecified
    /// The session moved from `from_state` to `to_state` (`SESSION_EVENT_TYPE_STATE_CHANGED` = 1).
    case stateChanged
    /// A caller asked for something (create, pause, resume, update, delete, clone);
    /// `actor` says who and `message` what (`SESSION_EVENT_TYPE_ACTION` = 2).
    case action
    /// A checkpoint was taken, renamed or removed (`SESSION_EVENT_TYPE_CHECKPOINT` = 3).
    case checkpoint
    /// Something a person should know that did not change the state (`SESSION_EVENT_TYPE_WARNING` = 4).
    case warning
    /// A failure reported by the gateway or the backend (`SESSION_EVENT_TYPE_ERROR` = 5).
    case error
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .stateChanged
        case 2: self = .action
        case 3: self = .checkpoint
        case 4: self = .warning
        case 5: self = .error
        default: self = .unrecognized(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .stateChanged: 1
        case .action: 2
        case .checkpoint: 3
        case .warning: 4
        case .error: 5
        case .unrecognized(let value): value
        }
    }
}

extension V1SessionEventType {
    /// The case for the generated C enum.
    package init(_ value: Sessiongw__V1__SessionEventType) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Sessiongw__V1__SessionEventType {
        Sessiongw__V1__SessionEventType(rawValue: UInt32(bitPattern: rawValue))
    }
}
