package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.Execute.
///
/// The `sessiongw.provider.v1.ExecuteRequest` message.
public struct ProviderV1ExecuteRequest: Sendable, Hashable {
    /// The handle of the session to run the command in.
    public var handle: String
    /// The command as argv; not run through a shell. At least one element.
    public var command: [String]

    /// Creates the message; every field defaults to its protobuf default.
    public init(handle: String = "", command: [String] = []) {
        self.handle = handle
        self.command = command
    }
}

extension ProviderV1ExecuteRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__execute_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ExecuteRequest>) {
        let c = cStruct.pointee
        handle = ProtobufCField.string(c.handle)
        command = ProtobufCField.strings(c.command, count: c.n_command)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ExecuteRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__ExecuteRequest.self)
        sessiongw__provider__v1__execute_request__init(message)
        message.pointee.handle = arena.string(handle)
        message.pointee.n_command = command.count
        message.pointee.command = arena.strings(command)
        return message
    }
}
