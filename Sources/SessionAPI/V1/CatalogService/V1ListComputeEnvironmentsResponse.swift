package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of CatalogService.ListComputeEnvironments.
///
/// The `sessiongw.v1.ListComputeEnvironmentsResponse` message.
public struct V1ListComputeEnvironmentsResponse: Sendable, Hashable {
    /// The compute environments of this page.
    public var computeEnvironments: [V1ComputeEnvironment]
    /// The token for the next page; empty when this is the last page.
    public var nextPageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        computeEnvironments: [V1ComputeEnvironment] = [],
        nextPageToken: String = ""
    ) {
        self.computeEnvironments = computeEnvironments
        self.nextPageToken = nextPageToken
    }
}

extension V1ListComputeEnvironmentsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_compute_environments_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListComputeEnvironmentsResponse>) {
        let c = cStruct.pointee
        computeEnvironments = ProtobufCField.messages(
            c.compute_environments,
            count: c.n_compute_environments,
            V1ComputeEnvironment.init(cStruct:)
        )
        nextPageToken = ProtobufCField.string(c.next_page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListComputeEnvironmentsResponse> {
        let message = arena.allocate(Sessiongw__V1__ListComputeEnvironmentsResponse.self)
        sessiongw__v1__list_compute_environments_response__init(message)
        message.pointee.n_compute_environments = computeEnvironments.count
        message.pointee.compute_environments = arena.messages(computeEnvironments) { $0.cStruct(in: arena) }
        message.pointee.next_page_token = arena.string(nextPageToken)
        return message
    }
}
