/// A method together with its request and response message types, as generated
/// method tables declare them (`SessionServiceMethods.createSession`).
///
/// Registering or calling through one states the types once, in the generated code,
/// instead of at every call and registration site. ``method`` is the untyped name the
/// router, interceptors and metrics key on.
public struct TypedRPCMethod<Input: RPCMessage, Output: RPCMessage>: Sendable, Hashable, CustomStringConvertible {
    /// The service and method name.
    public let method: RPCMethod

    /// Creates a descriptor.
    public init(service: String, method: String) {
        self.method = RPCMethod(service: service, method: method)
    }

    /// `service/method`.
    public var description: String { method.description }
}
