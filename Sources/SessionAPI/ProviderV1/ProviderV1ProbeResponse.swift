package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.Probe.
///
/// The `sessiongw.provider.v1.ProbeResponse` message.
public struct ProviderV1ProbeResponse: Sendable, Hashable {
    /// True when calls can be made.
    public var ready: Bool
    /// Why not, or what the provider is connected to.
    public var message: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(ready: Bool = false, message: String = "") {
        self.ready = ready
        self.message = message
    }
}

extension ProviderV1ProbeResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__probe_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ProbeResponse>) {
        let c = cStruct.pointee
        ready = c.ready != 0
        message = ProtobufCField.string(c.message)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ProbeResponse> {
        let result = arena.allocate(Sessiongw__Provider__V1__ProbeResponse.self)
        sessiongw__provider__v1__probe_response__init(result)
        result.pointee.ready = ready ? 1 : 0
        result.pointee.message = arena.string(self.message)
        return result
    }
}
