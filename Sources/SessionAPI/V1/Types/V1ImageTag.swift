package import CProtos

/// How an image of a preset's catalog is offered.
///
/// The `sessiongw.v1.ImageTag` enum. Protobuf enums are open: a value this version
/// does not know is kept as ``unrecognized(_:)`` and survives decoding and encoding.
public enum V1ImageTag: RawRepresentable, Sendable, Hashable {
    /// Not set; refused where a tag is required (`IMAGE_TAG_UNSPECIFIED` = 0).
    case unspecified
    /// Use this for new sessions (`IMAGE_TAG_RECOMMENDED` = 1).
    case recommended
    /// Still works; an older version (`IMAGE_TAG_DEPRECATED` = 2).
    case deprecated
    /// Temporary; not supported in production (`IMAGE_TAG_EXPERIMENTAL` = 3).
    case experimental
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .recommended
        case 2: self = .deprecated
        case 3: self = .experimental
        default: self = .unrecognized(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .recommended: 1
        case .deprecated: 2
        case .experimental: 3
        case .unrecognized(let value): value
        }
    }
}

extension V1ImageTag {
    /// The case for the generated C enum.
    package init(_ value: Sessiongw__V1__ImageTag) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Sessiongw__V1__ImageTag {
        Sessiongw__V1__ImageTag(rawValue: UInt32(bitPattern: rawValue))
    }
}
