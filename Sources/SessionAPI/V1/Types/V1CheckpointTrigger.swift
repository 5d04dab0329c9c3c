package import CProtos

/// Why a checkpoint was taken.
///
/// The `sessiongw.v1.CheckpointTrigger` enum. Protobuf enums are open: a value this version
/// does not know is kept as ``unrecognized(_:)`` and survives decoding and encoding.
public enum V1CheckpointTrigger: RawRepresentable, Sendable, Hashable {
    /// Not set; refused where a trigger is required (`CHECKPOINT_TRIGGER_UNSPECIFIED` = 0).
    case unspecified
    /// When the session started (`CHECKPOINT_TRIGGER_START` = 1).
    case start
    /// Periodically while the session ran (every 5 minutes by default) (`CHECKPOINT_TRIGGER_PERIODIC` = 2).
    case periodic
    /// When the session paused (`CHECKPOINT_TRIGGER_PAUSE` = 3).
    case pause
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .start
        case 2: self = .periodic
        case 3: self = .pause
        default: self = .unrecognized(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .start: 1
        case .periodic: 2
        case .pause: 3
        case .unrecognized(let value): value
        }
    }
}

extension V1CheckpointTrigger {
    /// The case for the generated C enum.
    package init(_ value: Sessiongw__V1__CheckpointTrigger) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Sessiongw__V1__CheckpointTrigger {
        Sessiongw__V1__CheckpointTrigger(rawValue: UInt32(bitPattern: rawValue))
    }
}
