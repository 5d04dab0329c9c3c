import Foundation
import RPCTransport
import Testing

/// The generated bindings against Python protobuf, the reference implementation: a
/// table of messages covering every field kind (`proto/sessiongw/testing/v1/kinds.proto`:
/// every scalar, enums with unknown values, oneofs, maps, repeated and nested fields,
/// empty and maximal values), built and encoded by Python (`reference.py`).
///
/// Each case's bytes must decode, and encode back to exactly the same bytes (so nothing
/// was lost or changed on the way in or out; for maps, whose entry order protobuf
/// leaves to each implementation, Python must decode our bytes to the same message), and
/// Python must decode every encoding of ours to the case's message. The decoded
/// message's JSON must equal
/// what `json_format.MessageToJson` prints, with default options and with
/// `always_print_fields_with_no_presence` (the CLI's `--output json`).
@Suite struct RoundTripTests {
    struct Case: Decodable {
        var name: String
        var type: String
        var hasMaps: Bool
        var bytes: String
        var json: String
        var jsonAlways: String
    }

    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs reference.py with `arguments`, `input` on its stdin, and decodes its output.
    static func reference<Output: Decodable>(_ arguments: [String], input: Data = Data()) throws -> Output {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appending(path: "Tests/GeneratedBindingsTests/reference.py").path,
            root.appending(path: "proto").path,
        ] + arguments
        let (stdin, stdout) = (Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ReferenceFailed(status: process.terminationStatus) }
        return try JSONDecoder().decode(Output.self, from: data)
    }

    struct ReferenceFailed: Error {
        var status: Int32
    }

    /// The decoded message's encoding and its JSON with both options.
    static func roundTrip(_ type: String, _ bytes: [UInt8]) throws -> (bytes: [UInt8], json: String, jsonAlways: String) {
        func run(_ message: some ProtobufCCodable & ProtoJSONEncodable) throws -> ([UInt8], String, String) {
            let always = ProtoJSONOptions(alwaysPrintFieldsWithNoPresence: true)
            return (
                try message.protobufBytes(), message.jsonValue.rendered(pretty: false),
                message.jsonValue(options: always).rendered(pretty: false)
            )
        }
        switch type {
        case "Kinds": return try run(try TestingV1Kinds(protobufBytes: bytes))
        case "Leaf": return try run(try TestingV1Leaf(protobufBytes: bytes))
        default: throw ReferenceFailed(status: -1)
        }
    }

    /// A JSON document, compared by value: member order and number spelling (`1`,
    /// `1.0`) aside.
    enum Node: Decodable, Equatable {
        case null, bool(Bool), number(Double), string(String), array([Node]), object([String: Node])

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? value.decode(Double.self) {
                self = .number(number)
            } else if let string = try? value.decode(String.self) {
                self = .string(string)
            } else if let array = try? value.decode([Node].self) {
                self = .array(array)
            } else {
                self = .object(try value.decode([String: Node].self))
            }
        }
    }

    /// Whether two JSON texts are the same document.
    static func sameJSON(_ a: String, _ b: String) throws -> Bool {
        try JSONDecoder().decode(Node.self, from: Data(a.utf8)) == JSONDecoder().decode(Node.self, from: Data(b.utf8))
    }

    @Test func everyCaseMatchesPythonProtobuf() throws {
        let table: [Case] = try Self.reference([])
        #expect(table.count >= 20)
        var encodings: [[String: String]] = []
        for entry in table {
            let bytes = try #require(hexBytes(entry.bytes), "\(entry.name)")
            let result = try Self.roundTrip(entry.type, bytes)
            encodings.append(["name": entry.name, "bytes": hex(result.bytes)])
            if !entry.hasMaps {
                #expect(result.bytes == bytes, "\(entry.name): encoded \(hex(result.bytes)), Python \(entry.bytes)")
            }
            #expect(try Self.sameJSON(result.json, entry.json), "\(entry.name): JSON \(result.json), Python \(entry.json)")
            #expect(
                try Self.sameJSON(result.jsonAlways, entry.jsonAlways),
                "\(entry.name): JSON \(result.jsonAlways), Python \(entry.jsonAlways)")
        }
        let misread: [String] = try Self.reference(["--check"], input: try JSONEncoder().encode(encodings))
        #expect(misread == [], "Python decodes these encodings of ours to other messages")
    }

    @Test func unknownEnumValuesSurvive() throws {
        let message = TestingV1Kinds(aColor: .unrecognized(7), colors: [.red, .unrecognized(-3)], colorsByName: ["x": .unrecognized(42)])
        let decoded = try TestingV1Kinds(protobufBytes: try message.protobufBytes())
        #expect(decoded == message)
        #expect(decoded.aColor.rawValue == 7)
    }
}

private func hexBytes(_ text: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
        bytes.append(byte)
        index = next
    }
    return bytes
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
