package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of CatalogService.ListPresets.
///
/// The `sessiongw.v1.ListPresetsResponse` message.
public struct V1ListPresetsResponse: Sendable, Hashable {
    /// The presets of this page.
    public var presets: [V1Preset]
    /// The token for the next page; empty when this is the last page.
    public var nextPageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(presets: [V1Preset] = [], nextPageToken: String = "") {
        self.presets = presets
        self.nextPageToken = nextPageToken
    }
}

extension V1ListPresetsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_presets_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListPresetsResponse>) {
        let c = cStruct.pointee
        presets = ProtobufCField.messages(c.presets, count: c.n_presets, V1Preset.init(cStruct:))
        nextPageToken = ProtobufCField.string(c.next_page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListPresetsResponse> {
        let message = arena.allocate(Sessiongw__V1__ListPresetsResponse.self)
        sessiongw__v1__list_presets_response__init(message)
        message.pointee.n_presets = presets.count
        message.pointee.presets = arena.messages(presets) { $0.cStruct(in: arena) }
        message.pointee.next_page_token = arena.string(nextPageToken)
        return message
    }
}
