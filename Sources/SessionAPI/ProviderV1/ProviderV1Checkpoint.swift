package import CProtobufC
package import CProtos
package import RPCTransport

/// A checkpoint as a provider sees it.
///
/// The `sessiongw.provider.v1.Checkpoint` message.
public struct ProviderV1Checkpoint: Sendable, Hashable {
    /// The checkpoint's id, chosen by the gateway.
    public var id: String
    /// The session that took it.
    public var sessionID: String
    /// Its name.
    public var name: String
    /// Why it was taken.
    public var trigger: V1CheckpointTrigger
    /// Its size in bytes, filled in by the provider.
    public var sizeBytes: Int64
    /// Where the provider keeps it, filled in by the provider; opaque to the gateway.
    public var location: String
    /// When it was taken, in seconds since the Unix epoch.
    public var createTimeSeconds: Double

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        id: String = "",
        sessionID: String = "",
        name: String = "",
        trigger: V1CheckpointTrigger = .unspecified,
        sizeBytes: Int64 = 0,
        location: String = "",
        createTimeSeconds: Double = 0
    ) {
        self.id = id
        self.sessionID = sessionID
        self.name = name
        self.trigger = trigger
        self.sizeBytes = sizeBytes
        self.location = location
        self.createTimeSeconds = createTimeSeconds
    }
}

extension ProviderV1Checkpoint: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__checkpoint__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__Checkpoint>) {
        let c = cStruct.pointee
        id = ProtobufCField.string(c.id)
        sessionID = ProtobufCField.string(c.session_id)
        name = ProtobufCField.string(c.name)
        trigger = V1CheckpointTrigger(c.trigger)
        sizeBytes = c.size_bytes
        location = ProtobufCField.string(c.location)
        createTimeSeconds = c.create_time_seconds
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__Checkpoint> {
        let message = arena.allocate(Sessiongw__Provider__V1__Checkpoint.self)
        sessiongw__provider__v1__checkpoint__init(message)
        message.pointee.id = arena.string(id)
        message.pointee.session_id = arena.string(sessionID)
        message.pointee.name = arena.string(name)
        message.pointee.trigger = trigger.cValue
        message.pointee.size_bytes = sizeBytes
        message.pointee.location = arena.string(location)
        message.pointee.create_time_seconds = createTimeSeconds
        return message
    }
}
