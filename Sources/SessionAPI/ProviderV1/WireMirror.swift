internal import RPCTransport
internal import SessionSDK

/// The provider API's copies of sessiongw.v1 messages (`provider.proto` imports nothing
/// of the public API) have the same field numbers and types as their namesakes, so one
/// reads as the other from its encoding. The provider conversions go through the
/// sessiongw.v1 forms this way and share their checks; a field added to both messages
/// needs no conversion code. `WireMirrorTests` keeps every pair in step.
extension RPCMessage {
    /// The message `mirrored` reads as when its encoding is decoded as this type.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` when the encoding does not decode as
    ///   this type, such as a string holding a NUL character.
    init(mirroring mirrored: some RPCMessage, field: String) throws(SessionError) {
        do {
            self = try Self(protobufBytes: mirrored.protobufBytes())
        } catch let error as RPCError {
            // The decoder's checks name the field inside the message: `image contains …`.
            throw SessionError(.invalidArgument, "\(field).\(error.message)")
        } catch {
            throw APIFieldRules.invalid(field, "does not encode: \(error)")
        }
    }

    /// Each of `messages` read as this type (see ``init(mirroring:field:)``), named
    /// `field[index]` in errors.
    static func mirroring<Mirrored: RPCMessage>(_ messages: [Mirrored], field: String) throws(SessionError) -> [Self] {
        var mirrors: [Self] = []
        mirrors.reserveCapacity(messages.count)
        for (index, message) in messages.enumerated() {
            mirrors.append(try Self(mirroring: message, field: "\(field)[\(index)]"))
        }
        return mirrors
    }
}
