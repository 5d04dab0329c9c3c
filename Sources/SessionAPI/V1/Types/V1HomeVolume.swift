package import CProtobufC
package import CProtos
package import RPCTransport

/// A session's home volume: a new one of a size, or an existing claim.
///
/// The `sessiongw.v1.HomeVolume` message.
public struct V1HomeVolume: Sendable, Hashable {
    /// Which volume; exactly one must be set.
    public enum Source: Sendable, Hashable {
        /// A new volume of this many bytes; more than 0.
        case newSizeBytes(Int64)
        /// An existing volume or claim, by name.
        case existingClaim(String)
    }

    /// Which volume; exactly one must be set.
    public var source: Source?

    /// Creates the message; every field defaults to its protobuf default.
    public init(source: Source? = nil) {
        self.source = source
    }
}

extension V1HomeVolume: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__home_volume__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__HomeVolume>) {
        let c = cStruct.pointee
        switch c.source_case {
        case SESSIONGW__V1__HOME_VOLUME__SOURCE_NEW_SIZE_BYTES:
            source = .newSizeBytes(c.new_size_bytes)
        case SESSIONGW__V1__HOME_VOLUME__SOURCE_EXISTING_CLAIM:
            source = .existingClaim(ProtobufCField.string(c.existing_claim))
        default:
            source = nil
        }
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__HomeVolume> {
        let message = arena.allocate(Sessiongw__V1__HomeVolume.self)
        sessiongw__v1__home_volume__init(message)
        switch source {
        case .newSizeBytes(let value):
            message.pointee.source_case = SESSIONGW__V1__HOME_VOLUME__SOURCE_NEW_SIZE_BYTES
            message.pointee.new_size_bytes = value
        case .existingClaim(let value):
            message.pointee.source_case = SESSIONGW__V1__HOME_VOLUME__SOURCE_EXISTING_CLAIM
            message.pointee.existing_claim = arena.string(value)
        case nil:
            break
        }
        return message
    }
}
