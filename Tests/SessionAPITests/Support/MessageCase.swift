import RPCTransport
import SessionSDK
import Testing

/// One message to push through protobuf-c: encoded, decoded and compared, after a
/// check that the fixture sets every field (so a field the conversion forgot cannot
/// hide behind a default value).
struct MessageCase: Sendable, CustomTestStringConvertible {
    let name: String
    let run: @Sendable () throws -> Void

    var testDescription: String { name }

    static func of<Message: RPCMessage & Hashable>(
        _ message: Message, _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) -> MessageCase {
        let name = "\(Message.self)" + (label.isEmpty ? "" : " (\(label))")
        return MessageCase(name: name) {
            let unset = defaultFields(of: message)
            #expect(unset.isEmpty, "fixture leaves fields at their defaults: \(unset.sorted())", sourceLocation: sourceLocation)
            let bytes = try message.protobufBytes()
            let decoded = try Message(protobufBytes: bytes)
            #expect(decoded == message, sourceLocation: sourceLocation)
            #expect(try decoded.protobufBytes() == bytes, "re-encoding changed the bytes", sourceLocation: sourceLocation)
        }
    }
}

/// The names of the stored properties of `value` that hold their protobuf default.
func defaultFields(of value: Any) -> Set<String> {
    Set(Mirror(reflecting: value).children.compactMap { child in
        isDefault(child.value) ? child.label ?? "?" : nil
    })
}

private func isDefault(_ value: Any) -> Bool {
    switch value {
    case let text as String: return text.isEmpty
    case let flag as Bool: return !flag
    case let number as Int32: return number == 0
    case let number as Int64: return number == 0
    case let number as Double: return number == 0
    default: break
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional, .collection, .dictionary, .set: return mirror.children.isEmpty
    case .enum: return "\(value)" == "unspecified"
    default: return false
    }
}

/// Runs `body` and checks that it throws `INVALID_ARGUMENT` whose message starts with
/// `field` followed by a space or a colon.
func expectInvalid(
    _ field: String, containing detail: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected INVALID_ARGUMENT naming \(field), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SessionError {
        #expect(error.code == .invalidArgument, "\(error)", sourceLocation: sourceLocation)
        #expect(
            error.message.hasPrefix(field + " ") || error.message.hasPrefix(field + ":"),
            "message does not start with '\(field)': \(error.message)", sourceLocation: sourceLocation)
        if let detail {
            #expect(error.message.contains(detail), "message lacks '\(detail)': \(error.message)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a SessionError, got \(error)", sourceLocation: sourceLocation)
    }
}
