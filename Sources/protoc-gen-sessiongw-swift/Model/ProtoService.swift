/// A service and its methods.
struct ProtoService {
    /// A method of the service.
    struct Method {
        /// The method's name, such as `CreateSession`.
        var name: String
        /// The request message's fully qualified name.
        var inputType: String
        /// The response message's fully qualified name.
        var outputType: String
        /// Whether the client sends a stream of requests.
        var clientStreaming: Bool
        /// Whether the server answers with a stream of responses.
        var serverStreaming: Bool
        /// The doc comment.
        var comment: String
    }

    /// The fully qualified name, such as `sessiongw.v1.SessionService`.
    var fullName: String
    /// The name, such as `SessionService`.
    var name: String
    /// The doc comment.
    var comment: String
    /// The methods in declaration order.
    var methods: [Method]
}
