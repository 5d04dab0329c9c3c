package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.Execute.
///
/// The `sessiongw.provider.v1.ExecuteResponse` message.
public struct ProviderV1ExecuteResponse: Sendable, Hashable {
    /// The command's exit status.
    public var exitCode: Int32
    /// What it wrote to standard output (bytes: it need not be UTF-8).
    public var output: [UInt8]
    /// What it wrote to standard error.
    public var errorOutput: [UInt8]

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        exitCode: Int32 = 0,
        output: [UInt8] = [],
        errorOutput: [UInt8] = []
    ) {
        self.exitCode = exitCode
        self.output = output
        self.errorOutput = errorOutput
    }
}

extension ProviderV1ExecuteResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__execute_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ExecuteResponse>) {
        let c = cStruct.pointee
        exitCode = c.exit_code
        output = ProtobufCField.bytes(c.output)
        errorOutput = ProtobufCField.bytes(c.error_output)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ExecuteResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__ExecuteResponse.self)
        sessiongw__provider__v1__execute_response__init(message)
        message.pointee.exit_code = exitCode
        message.pointee.output = arena.binary(output)
        message.pointee.error_output = arena.binary(errorOutput)
        return message
    }
}
