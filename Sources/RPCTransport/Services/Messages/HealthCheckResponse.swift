internal import CProtobufC
internal import CGRPCProtos

/// A service's health (`grpc.health.v1.HealthCheckResponse`).
struct HealthCheckResponse: Sendable, Hashable {
    /// `grpc.health.v1.HealthCheckResponse.ServingStatus`; open, like every protobuf
    /// enum.
    enum ServingStatus: RawRepresentable, Sendable, Hashable {
        /// Not known yet (`UNKNOWN`, 0).
        case unknown
        /// Taking calls (`SERVING`, 1).
        case serving
        /// Not taking calls (`NOT_SERVING`, 2).
        case notServing
        /// Watch only: the service is not known to the server (`SERVICE_UNKNOWN`, 3).
        case serviceUnknown
        /// A value with no case here.
        case unrecognized(Int32)

        init(rawValue: Int32) {
            switch rawValue {
            case 0: self = .unknown
            case 1: self = .serving
            case 2: self = .notServing
            case 3: self = .serviceUnknown
            default: self = .unrecognized(rawValue)
            }
        }

        var rawValue: Int32 {
            switch self {
            case .unknown: 0
            case .serving: 1
            case .notServing: 2
            case .serviceUnknown: 3
            case .unrecognized(let value): value
            }
        }
    }

    /// The status.
    var status: ServingStatus

    init(status: ServingStatus = .unknown) {
        self.status = status
    }
}

extension HealthCheckResponse: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__health__v1__health_check_response__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Health__V1__HealthCheckResponse>) {
        status = ServingStatus(rawValue: Int32(bitPattern: cStruct.pointee.status.rawValue))
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Health__V1__HealthCheckResponse> {
        let message = arena.allocate(Grpc__Health__V1__HealthCheckResponse.self)
        grpc__health__v1__health_check_response__init(message)
        message.pointee.status = Grpc__Health__V1__HealthCheckResponse__ServingStatus(
            rawValue: UInt32(bitPattern: status.rawValue)
        )
        return message
    }
}
