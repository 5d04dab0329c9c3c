package import CProtobufC
package import CProtos
package import RPCTransport

/// An environment variable of a session: a plain value, or a reference to a secret
/// whose value the gateway resolves when it starts the session and never returns or
/// logs.
///
/// The `sessiongw.v1.EnvVar` message.
public struct V1EnvVar: Sendable, Hashable {
    /// Where the value comes from; exactly one must be set.
    public enum Source: Sendable, Hashable {
        /// A plain value, returned as it was given.
        case value(String)
        /// The name of a secret in the workspace's secret store.
        case secretRef(String)
    }

    /// The variable's name: a letter or `_`, then letters, digits or `_`.
    public var name: String
    /// Where the value comes from; exactly one must be set.
    public var source: Source?

    /// Creates the message; every field defaults to its protobuf default.
    public init(name: String = "", source: Source? = nil) {
        self.name = name
        self.source = source
    }
}

extension V1EnvVar: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__env_var__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__EnvVar>) {
        let c = cStruct.pointee
        name = ProtobufCField.string(c.name)
        switch c.source_case {
        case SESSIONGW__V1__ENV_VAR__SOURCE_VALUE:
            source = .value(ProtobufCField.string(c.value))
        case SESSIONGW__V1__ENV_VAR__SOURCE_SECRET_REF:
            source = .secretRef(ProtobufCField.string(c.secret_ref))
        default:
            source = nil
        }
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__EnvVar> {
        let message = arena.allocate(Sessiongw__V1__EnvVar.self)
        sessiongw__v1__env_var__init(message)
        message.pointee.name = arena.string(name)
        switch source {
        case .value(let value):
            message.pointee.source_case = SESSIONGW__V1__ENV_VAR__SOURCE_VALUE
            message.pointee.value = arena.string(value)
        case .secretRef(let value):
            message.pointee.source_case = SESSIONGW__V1__ENV_VAR__SOURCE_SECRET_REF
            message.pointee.secret_ref = arena.string(value)
        case nil:
            break
        }
        return message
    }
}
