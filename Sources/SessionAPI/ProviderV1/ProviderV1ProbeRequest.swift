package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.Probe; empty.
///
/// The `sessiongw.provider.v1.ProbeRequest` message.
public struct ProviderV1ProbeRequest: Sendable, Hashable {
    /// Creates the message.
    public init() {}
}

extension ProviderV1ProbeRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__probe_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ProbeRequest>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ProbeRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__ProbeRequest.self)
        sessiongw__provider__v1__probe_request__init(message)
        return message
    }
}
