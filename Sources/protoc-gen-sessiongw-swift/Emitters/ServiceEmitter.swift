/// Writes a service's method table: an `RPCMethod` per method, for routing and for clients.
struct ServiceEmitter {
    let service: ProtoService
    let registry: TypeRegistry

    func emit(into out: inout CodeWriter) throws {
        out.doc(service.comment)
        if !service.comment.isEmpty { out.line("///") }
        out.line("/// The methods of `\(service.fullName)`, for routing and for clients.")
        try out.block("public enum \(service.name)Methods {") { out in
            out.line("/// The fully qualified service name.")
            out.line("public static let service = \"\(service.fullName)\"")
            for method in service.methods {
                out.line()
                let input = try registry.entry(method.inputType).swiftName
                let output = try registry.entry(method.outputType).swiftName
                out.doc(method.comment)
                if !method.comment.isEmpty { out.line("///") }
                out.line("/// \(shape(method)): ``\(input)`` → \(method.serverStreaming ? "a stream of " : "")``\(output)``.")
                out.line("public static let \(memberName(method)) = RPCMethod(service: service, method: \"\(method.name)\")")
            }
            out.line()
            out.line("/// Every method of the service.")
            try out.block("public static let all: [RPCMethod] = [", closing: "]") { out in
                for method in service.methods { out.line("\(memberName(method)),") }
            }
        }
    }

    private func memberName(_ method: ProtoService.Method) -> String {
        SwiftNames.escaped(method.name.prefix(1).lowercased() + method.name.dropFirst())
    }

    private func shape(_ method: ProtoService.Method) -> String {
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false): "Unary"
        case (false, true): "Server-streaming"
        case (true, false): "Client-streaming"
        case (true, true): "Bidirectional"
        }
    }
}
