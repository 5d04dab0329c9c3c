package import CProtos

/// What a WatchSessionsResponse reports.
///
/// The `sessiongw.v1.WatchEventType` enum. Protobuf enums are open: a value this version
/// does not know is kept as ``unrecognized(_:)`` and survives decoding and encoding.
public enum V1WatchEventType: RawRepresentable, Sendable, Hashable {
    /// Not set (`WATCH_EVENT_TYPE_UNSPECIFIED` = 0).
    case unspecified
    /// A session matched the filter: part of the current state, or created (`WATCH_EVENT_TYPE_ADDED` = 1).
    case added
    /// A session changed (`WATCH_EVENT_TYPE_MODIFIED` = 2).
    case modified
    /// A session was deleted; `session` is its last recorded state (`WATCH_EVENT_TYPE_DELETED` = 3).
    case deleted
    /// Every session of the current state has been sent; what follows are changes.
    /// Carries no session (`WATCH_EVENT_TYPE_SNAPSHOT_END` = 4).
    case snapshotEnd
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .added
        case 2: self = .modified
        case 3: self = .deleted
        case 4: self = .snapshotEnd
        default: self = .unrecognized(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .added: 1
        case .modified: 2
        case .deleted: 3
        case .snapshotEnd: 4
        case .unrecognized(let value): value
        }
    }
}

extension V1WatchEventType {
    /// The case for the generated C enum.
    package init(_ value: Sessiongw__V1__WatchEventType) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Sessiongw__V1__WatchEventType {
        Sessiongw__V1__WatchEventType(rawValue: UInt32(bitPattern: rawValue))
    }
}
