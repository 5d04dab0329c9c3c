package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of CheckpointService.ListCheckpoints.
///
/// The `sessiongw.v1.ListCheckpointsResponse` message.
public struct V1ListCheckpointsResponse: Sendable, Hashable {
    /// The checkpoints of this page, newest first.
    public var checkpoints: [V1Checkpoint]
    /// The token for the next page; empty when this is the last page.
    public var nextPageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(checkpoints: [V1Checkpoint] = [], nextPageToken: String = "") {
        self.checkpoints = checkpoints
        self.nextPageToken = nextPageToken
    }
}

extension V1ListCheckpointsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_checkpoints_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListCheckpointsResponse>) {
        let c = cStruct.pointee
        checkpoints = ProtobufCField.messages(c.checkpoints, count: c.n_checkpoints, V1Checkpoint.init(cStruct:))
        nextPageToken = ProtobufCField.string(c.next_page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListCheckpointsResponse> {
        let message = arena.allocate(Sessiongw__V1__ListCheckpointsResponse.self)
        sessiongw__v1__list_checkpoints_response__init(message)
        message.pointee.n_checkpoints = checkpoints.count
        message.pointee.checkpoints = arena.messages(checkpoints) { $0.cStruct(in: arena) }
        message.pointee.next_page_token = arena.string(nextPageToken)
        return message
    }
}
