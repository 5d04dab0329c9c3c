package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.UpdateSession.
///
/// The `sessiongw.v1.UpdateSessionRequest` message.
public struct V1UpdateSessionRequest: Sendable, Hashable {
    /// The session's workspace; empty for "default".
    public var workspace: String
    /// The session's id.
    public var sessionID: String
    /// The new values. Only the fields named in `update_mask` are read; the others may
    /// be left unset.
    public var spec: V1SessionSpec?
    /// The names of the SessionSpec fields to change, as in the .proto file:
    /// `pod_size`, `resources`, `compute_pool`, `env`, `home_volume`, `data_volumes`,
    /// `data_link_ids`, `labels`, `duration_limit_seconds`. A named field that is unset
    /// in `spec` is reset to its default (for `resources`: the pod size's). At least
    /// one is required; any other name (including `preset`, `image` and
    /// `compute_environment`, which cannot change) is INVALID_ARGUMENT.
    public var updateMask: [String]

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        sessionID: String = "",
        spec: V1SessionSpec? = nil,
        updateMask: [String] = []
    ) {
        self.workspace = workspace
        self.sessionID = sessionID
        self.spec = spec
        self.updateMask = updateMask
    }
}

extension V1UpdateSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__update_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__UpdateSessionRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        sessionID = ProtobufCField.string(c.session_id)
        spec = c.spec.map(V1SessionSpec.init(cStruct:))
        updateMask = ProtobufCField.strings(c.update_mask, count: c.n_update_mask)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__UpdateSessionRequest> {
        let message = arena.allocate(Sessiongw__V1__UpdateSessionRequest.self)
        sessiongw__v1__update_session_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.session_id = arena.string(sessionID)
        message.pointee.spec = spec?.cStruct(in: arena)
        message.pointee.n_update_mask = updateMask.count
        message.pointee.update_mask = arena.strings(updateMask)
        return message
    }
}
