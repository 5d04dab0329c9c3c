/// Percent-encoding of `grpc-message`, as the gRPC HTTP/2 protocol specifies: bytes
/// outside printable ASCII (0x20–0x7E) and `%` itself are sent as `%XX` of their UTF-8.
enum GRPCStatusMessage {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes a status message for the wire.
    static func encode(_ message: String) -> String {
        var output = [UInt8]()
        output.reserveCapacity(message.utf8.count)
        for byte in message.utf8 {
            if byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "%") {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes a received status message. Malformed escapes are kept as they are, as
    /// the protocol asks of receivers.
    static func decode(_ value: some StringProtocol) -> String {
        let bytes = Array(value.utf8)
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
