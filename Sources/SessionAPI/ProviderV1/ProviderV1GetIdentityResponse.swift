package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.GetIdentity.
///
/// The `sessiongw.provider.v1.GetIdentityResponse` message.
public struct ProviderV1GetIdentityResponse: Sendable, Hashable {
    /// A lower-case name such as `local` or `slurm`: letters, digits, `-` and `.`.
    public var name: String
    /// A semantic version such as `1.2.0`.
    public var version: String
    /// What the provider supports, by stable name: PAUSE_RESUME, CHECKPOINTS, CLONE,
    /// DATA_LINKS, GPUS, WATCH, EXISTING_VOLUMES, EXECUTE. Names the gateway does not
    /// know are kept and ignored.
    public var capabilities: [String]

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        name: String = "",
        version: String = "",
        capabilities: [String] = []
    ) {
        self.name = name
        self.version = version
        self.capabilities = capabilities
    }
}

extension ProviderV1GetIdentityResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__get_identity_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__GetIdentityResponse>) {
        let c = cStruct.pointee
        name = ProtobufCField.string(c.name)
        version = ProtobufCField.string(c.version)
        capabilities = ProtobufCField.strings(c.capabilities, count: c.n_capabilities)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__GetIdentityResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__GetIdentityResponse.self)
        sessiongw__provider__v1__get_identity_response__init(message)
        message.pointee.name = arena.string(name)
        message.pointee.version = arena.string(version)
        message.pointee.n_capabilities = capabilities.count
        message.pointee.capabilities = arena.strings(capabilities)
        return message
    }
}
