package import CProtobufC
package import CProtos
package import RPCTransport

/// Which sessions a list or a watch is about. Every condition that is set must hold.
///
/// The `sessiongw.v1.SessionFilter` message.
public struct V1SessionFilter: Sendable, Hashable {
    /// Sessions in any of these states; empty for any state.
    public var states: [V1SessionState]
    /// Sessions on compute environments of this backend kind (such as `slurm`); empty
    /// for any backend.
    public var backend: String
    /// Sessions that carry every one of these labels with exactly these values; empty
    /// for any labels.
    public var labels: [String: String]
    /// Sessions created by this owner; empty for any owner.
    public var owner: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        states: [V1SessionState] = [],
        backend: String = "",
        labels: [String: String] = [:],
        owner: String = ""
    ) {
        self.states = states
        self.backend = backend
        self.labels = labels
        self.owner = owner
    }
}

extension V1SessionFilter: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__session_filter__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__SessionFilter>) {
        let c = cStruct.pointee
        states = ProtobufCField.array(c.states, count: c.n_states).map(V1SessionState.init)
        backend = ProtobufCField.string(c.backend)
        labels = ProtobufCField.stringMap(c.labels, count: c.n_labels, key: \.key, value: \.value)
        owner = ProtobufCField.string(c.owner)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__SessionFilter> {
        let message = arena.allocate(Sessiongw__V1__SessionFilter.self)
        sessiongw__v1__session_filter__init(message)
        message.pointee.n_states = states.count
        message.pointee.states = arena.array(states.map(\.cValue))
        message.pointee.backend = arena.string(backend)
        message.pointee.n_labels = labels.count
        message.pointee.labels = arena.stringMap(
            labels, initializedBy: sessiongw__v1__session_filter__labels_entry__init, key: \.key, value: \.value)
        message.pointee.owner = arena.string(owner)
        return message
    }
}
