package import CProtobufC
package import CProtos
package import RPCTransport

/// A saved copy of the changes a session made to its own filesystem (not mounted
/// data), taken when it starts, periodically while it runs, and when it pauses.
///
/// The `sessiongw.v1.Checkpoint` message.
public struct V1Checkpoint: Sendable, Hashable {
    /// The checkpoint's id.
    public var id: String
    /// The workspace of its session.
    public var workspace: String
    /// The session that took it.
    public var sessionID: String
    /// Its name, unique per session; spaces become underscores.
    public var name: String
    /// Why it was taken.
    public var trigger: V1CheckpointTrigger
    /// Its size in bytes.
    public var sizeBytes: Int64
    /// When it was taken.
    public var createTimeSeconds: Double

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        id: String = "",
        workspace: String = "",
        sessionID: String = "",
        name: String = "",
        trigger: V1CheckpointTrigger = .unspecified,
        sizeBytes: Int64 = 0,
        createTimeSeconds: Double = 0
    ) {
        self.id = id
        self.workspace = workspace
        self.sessionID = sessionID
        self.name = name
        self.trigger = trigger
        self.sizeBytes = sizeBytes
        self.createTimeSeconds = createTimeSeconds
    }
}

extension V1Checkpoint: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__checkpoint__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__Checkpoint>) {
        let c = cStruct.pointee
        id = ProtobufCField.string(c.id)
        workspace = ProtobufCField.string(c.workspace)
        sessionID = ProtobufCField.string(c.session_id)
        name = ProtobufCField.string(c.name)
        trigger = V1CheckpointTrigger(c.trigger)
        sizeBytes = c.size_bytes
        createTimeSeconds = c.create_time_seconds
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__Checkpoint> {
        let message = arena.allocate(Sessiongw__V1__Checkpoint.self)
        sessiongw__v1__checkpoint__init(message)
        message.pointee.id = arena.string(id)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.session_id = arena.string(sessionID)
        message.pointee.name = arena.string(name)
        message.pointee.trigger = trigger.cValue
        message.pointee.size_bytes = sizeBytes
        message.pointee.create_time_seconds = createTimeSeconds
        return message
    }
}
