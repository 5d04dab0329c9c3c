package import CGRPCProtos

/// The load-balancing route a response took (`grpc.testing.GrpclbRouteType`).
///
/// Protobuf enums are open: a value this version does not know is kept as
/// ``unrecognized(_:)`` so that it survives decoding and encoding unchanged.
public enum GrpclbRouteType: RawRepresentable, Sendable, Hashable {
    /// Not known (`GRPCLB_ROUTE_TYPE_UNKNOWN`, 0).
    case unknown
    /// Through a fallback (`GRPCLB_ROUTE_TYPE_FALLBACK`, 1).
    case fallback
    /// Through a backend (`GRPCLB_ROUTE_TYPE_BACKEND`, 2).
    case backend
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unknown
        case 1: self = .fallback
        case 2: self = .backend
        default: self = .unrecognized(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .unknown: 0
        case .fallback: 1
        case .backend: 2
        case .unrecognized(let value): value
        }
    }
}

extension GrpclbRouteType {
    /// The case for the generated C enum.
    package init(_ value: Grpc__Testing__GrpclbRouteType) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Grpc__Testing__GrpclbRouteType {
        Grpc__Testing__GrpclbRouteType(rawValue: UInt32(bitPattern: rawValue))
    }
}
