/// Converting between gRPC metadata and HTTP/2 header fields.
enum GRPCHeaders {
    /// Headers the protocol owns; never surfaced as custom metadata.
    private static let reservedNames: [StaticString] = [
        "content-type", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
        "grpc-status", "grpc-message", "grpc-status-details-bin", "content-length", "host",
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    ]

    /// ``reservedNames`` as strings.
    private static let reserved = Set(reservedNames.map(\.description))

    /// Whether a received header name is a pseudo-header or one the protocol owns,
    /// decided on its bytes.
    static func isReserved(_ name: UnsafeRawBufferPointer) -> Bool {
        if name.first == UInt8(ascii: ":") { return true }
        for reserved in reservedNames where name.equals(reserved) { return true }
        return false
    }

    /// The response headers: ``HTTP2HeaderBlock/grpcResponse`` (built once) unless
    /// there is initial metadata to add.
    static func responseHeaders(initialMetadata: Metadata?) -> HTTP2HeaderBlock {
        guard let initialMetadata, !initialMetadata.isEmpty else { return .grpcResponse }
        var fields = HTTP2HeaderBlock.grpcResponse.fields
        append(initialMetadata, to: &fields)
        return HTTP2HeaderBlock(fields)
    }

    /// The trailers carrying a status and trailing metadata: ``HTTP2HeaderBlock/grpcOK``
    /// (built once) for success without metadata.
    static func trailers(_ status: RPCError?, trailing: Metadata) -> HTTP2HeaderBlock {
        if status == nil, trailing.isEmpty { return .grpcOK }
        return HTTP2HeaderBlock(statusFields(status, trailing: trailing))
    }

    /// Appends metadata as header fields, base64-encoding binary values.
    static func append(_ metadata: Metadata, to fields: inout [(String, String)]) {
        for entry in metadata where !reserved.contains(entry.key) && !entry.key.hasPrefix(":") {
            switch entry.value {
            case .string(let value): fields.append((entry.key, value))
            case .binary(let bytes): fields.append((entry.key, Base64.encode(bytes, padded: false)))
            }
        }
    }

    /// Adds one received header field to metadata. Returns false when a `-bin` value
    /// is not base64.
    static func add(name: String, value: String, to metadata: inout Metadata) -> Bool {
        guard !reserved.contains(name), !name.hasPrefix(":") else { return true }
        return addUnreserved(name: name, value: value, to: &metadata)
    }

    /// ``add(name:value:to:)`` for a name already known not to be reserved.
    static func addUnreserved(name: String, value: String, to metadata: inout Metadata) -> Bool {
        if name.hasSuffix("-bin") {
            // Several binary values may be sent comma-separated in one field.
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = part.utf8.drop { $0 == UInt8(ascii: " ") }
                guard let bytes = Base64.decode(trimmed) else { return false }
                metadata.add(name, .binary(bytes))
            }
        } else {
            metadata.add(name, .string(value))
        }
        return true
    }

    /// The trailer fields carrying a status and trailing metadata.
    static func statusFields(_ status: RPCError?, trailing: Metadata) -> [(String, String)] {
        var fields = [(String, String)]()
        let code = status?.code ?? .ok
        fields.append(("grpc-status", String(code.rawValue)))
        if let message = status?.message, !message.isEmpty {
            fields.append(("grpc-message", GRPCStatusMessage.encode(message)))
        }
        append(trailing, to: &fields)
        if let metadata = status?.metadata { append(metadata, to: &fields) }
        return fields
    }

    /// The gRPC status for an HTTP status when a response carries no `grpc-status`,
    /// as the gRPC HTTP-to-status mapping specifies.
    static func statusCode(forHTTPStatus status: Int) -> RPCError.Code {
        switch status {
        case 400: .internalError
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }
}
