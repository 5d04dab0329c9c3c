/// Writes a service's typed method table, its typed client, and the protocol a server
/// implements, with the registration of every method.
struct ServiceEmitter {
    let service: ProtoService
    let registry: TypeRegistry

    /// A method with its Swift names.
    private struct Method {
        var proto: ProtoService.Method
        var member: String
        var input: String
        var output: String
    }

    func emit(into out: inout CodeWriter) throws {
        let methods = try service.methods.map { method in
            Method(
                proto: method,
                member: SwiftNames.escaped(method.name.prefix(1).lowercased() + method.name.dropFirst()),
                input: try registry.entry(method.inputType).swiftName,
                output: try registry.entry(method.outputType).swiftName)
        }
        emitTable(methods, into: &out)
        out.line()
        emitClient(methods, into: &out)
        out.line()
        emitProtocol(methods, into: &out)
    }

    private var table: String { "\(service.name)Methods" }

    private func emitTable(_ methods: [Method], into out: inout CodeWriter) {
        out.doc(service.comment)
        if !service.comment.isEmpty { out.line("///") }
        out.line("/// The methods of `\(service.fullName)`, with their message types, for routing and for clients.")
        out.block("public enum \(table) {") { out in
            out.line("/// The fully qualified service name.")
            out.line("public static let service = \"\(service.fullName)\"")
            for method in methods {
                out.line()
                doc(method, into: &out)
                out.line(
                    "public static let \(method.member) = TypedRPCMethod<\(method.input), \(method.output)>("
                        + "service: service, method: \"\(method.proto.name)\")")
            }
            out.line()
            out.line("/// Every method of the service.")
            out.block("public static let all: [RPCMethod] = [", closing: "]") { out in
                for method in methods { out.line("\(method.member).method,") }
            }
        }
    }

    private func emitClient(_ methods: [Method], into out: inout CodeWriter) {
        out.line("/// A typed client of `\(service.fullName)`: a function per method.")
        out.block("public struct \(service.name)Client: Sendable {") { out in
            out.line("/// The connection calls go through.")
            out.line("public let client: RPCClient")
            out.line("/// Metadata sent with every call, such as credentials.")
            out.line("public var metadata: Metadata")
            out.line()
            out.line("/// Creates a client calling through `client`, sending `metadata` with every call.")
            out.block("public init(client: RPCClient, metadata: Metadata = [:]) {") { out in
                out.line("self.client = client")
                out.line("self.metadata = metadata")
            }
            for method in methods {
                out.line()
                doc(method, into: &out)
                let table = "\(self.table).\(method.member)"
                switch (method.proto.clientStreaming, method.proto.serverStreaming) {
                case (false, false):
                    out.block(
                        "public func \(method.member)(_ request: \(method.input), options: CallOptions = .defaults) "
                            + "async throws -> \(method.output) {"
                    ) { out in
                        out.line("try await client.unary(\(table), request: request, metadata: metadata, options: options).message")
                    }
                case (false, true):
                    out.line("public func \(method.member)<Result: Sendable>(")
                    out.line("    _ request: \(method.input), options: CallOptions = .defaults,")
                    out.line("    body: (ClientResponseStream<\(method.output)>) async throws -> Result")
                    out.block(") async throws -> Result {") { out in
                        out.line("try await client.serverStreaming(")
                        out.line("    \(table), request: request, metadata: metadata, options: options, body: body)")
                    }
                case (true, false):
                    out.line("public func \(method.member)(")
                    out.line("    options: CallOptions = .defaults, body: (ClientRequestWriter<\(method.input)>) async throws -> Void")
                    out.block(") async throws -> \(method.output) {") { out in
                        out.line("try await client.clientStreaming(\(table), metadata: metadata, options: options, body: body).message")
                    }
                case (true, true):
                    out.line("public func \(method.member)<Result: Sendable>(")
                    out.line("    options: CallOptions = .defaults,")
                    out.line(
                        "    body: (ClientRequestWriter<\(method.input)>, ClientResponseStream<\(method.output)>) async throws -> Result")
                    out.block(") async throws -> Result {") { out in
                        out.line("try await client.bidirectional(\(table), metadata: metadata, options: options, body: body)")
                    }
                }
            }
        }
    }

    private func emitProtocol(_ methods: [Method], into out: inout CodeWriter) {
        out.line("/// The server side of `\(service.fullName)`: implement a function per method;")
        out.line("/// ``registerMethods(with:)`` registers them all.")
        out.block("public protocol \(service.name)Protocol: RPCService {") { out in
            for (index, method) in methods.enumerated() {
                if index > 0 { out.line() }
                doc(method, into: &out)
                out.line("func \(method.member)\(signature(method))")
            }
        }
        out.line()
        out.block("extension \(service.name)Protocol {") { out in
            out.line("/// Registers every method of the service with the functions above.")
            out.block("public func registerMethods(with router: inout RPCRouter) {") { out in
                for method in methods {
                    let table = "\(self.table).\(method.member)"
                    switch (method.proto.clientStreaming, method.proto.serverStreaming) {
                    case (false, false):
                        out.line("router.unary(\(table)) { request, context in try await self.\(method.member)(request, context: context) }")
                    case (false, true):
                        out.block("router.serverStreaming(\(table)) { request, writer, context in") { out in
                            out.line("try await self.\(method.member)(request, writer: writer, context: context)")
                        }
                    case (true, false):
                        out.block("router.clientStreaming(\(table)) { requests, context in") { out in
                            out.line("try await self.\(method.member)(requests, context: context)")
                        }
                    case (true, true):
                        out.block("router.bidirectional(\(table)) { requests, writer, context in") { out in
                            out.line("try await self.\(method.member)(requests, writer: writer, context: context)")
                        }
                    }
                }
            }
        }
    }

    private func signature(_ method: Method) -> String {
        switch (method.proto.clientStreaming, method.proto.serverStreaming) {
        case (false, false):
            "(_ request: \(method.input), context: ServerContext) async throws -> \(method.output)"
        case (false, true):
            "(_ request: \(method.input), writer: ServerResponseWriter<\(method.output)>, context: ServerContext) async throws"
        case (true, false):
            "(_ requests: ServerRequestStream<\(method.input)>, context: ServerContext) async throws -> \(method.output)"
        case (true, true):
            "(_ requests: ServerRequestStream<\(method.input)>, writer: ServerResponseWriter<\(method.output)>, "
                + "context: ServerContext) async throws"
        }
    }

    private func doc(_ method: Method, into out: inout CodeWriter) {
        out.doc(method.proto.comment)
        if !method.proto.comment.isEmpty { out.line("///") }
        let shape =
            switch (method.proto.clientStreaming, method.proto.serverStreaming) {
            case (false, false): "Unary: ``\(method.input)`` → ``\(method.output)``."
            case (false, true): "Server-streaming: ``\(method.input)`` → a stream of ``\(method.output)``."
            case (true, false): "Client-streaming: a stream of ``\(method.input)`` → ``\(method.output)``."
            case (true, true): "Bidirectional: a stream of ``\(method.input)`` ⇄ a stream of ``\(method.output)``."
            }
        out.line("/// \(shape)")
    }
}
