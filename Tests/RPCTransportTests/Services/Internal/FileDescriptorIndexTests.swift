import RPCInterop
@testable import RPCTransport
import Testing

@Suite struct FileDescriptorIndexTests {
    let index = FileDescriptorIndex(files: ReflectionService.ownFiles + InteropProtoFiles.all)

    @Test func everyMessageTypeIsKnownAndNothingElse() {
        let messages = ["grpc.testing.Empty", "grpc.testing.SimpleRequest", "grpc.testing.StreamingOutputCallResponse",
                        "grpc.health.v1.HealthCheckResponse", "grpc.reflection.v1.ErrorResponse",
                        "sessiongw.benchmark.v1.EchoMessage"]
        for name in messages { #expect(index.isMessageType(name), "\(name)") }
        let others = ["grpc.testing.PayloadType", "grpc.health.v1.HealthCheckResponse.ServingStatus",
                      "grpc.testing.TestService", "grpc.testing.TestService.UnaryCall", "grpc.testing", "SimpleRequest"]
        for name in others { #expect(!index.isMessageType(name), "\(name)") }
    }

    @Test func nestedMessagesAreQualifiedByTheirParent() {
        // A DescriptorProto named Outer with a nested_type (3) named Inner, in package p.
        let inner: [UInt8] = [0x0A, 0x05] + Array("Inner".utf8)
        let outer: [UInt8] = [0x0A, 0x05] + Array("Outer".utf8) + [0x1A, UInt8(inner.count)] + inner
        let file: [UInt8] = [0x12, 0x01, UInt8(ascii: "p"), 0x22, UInt8(outer.count)] + outer
        let index = FileDescriptorIndex(files: [.init(name: "p.proto", descriptor: file, dependencies: [], symbols: [])])
        #expect(index.isMessageType("p.Outer"))
        #expect(index.isMessageType("p.Outer.Inner"))
        #expect(!index.isMessageType("p.Inner"))
    }

    @Test func dependenciesComeOnceInDepthFirstOrder() {
        func file(_ name: String, _ dependencies: [String]) -> ProtoFileDescriptor {
            .init(name: name, descriptor: [0x0A, UInt8(name.utf8.count)] + Array(name.utf8), dependencies: dependencies, symbols: [])
        }
        let index = FileDescriptorIndex(files: [
            file("a", ["b", "c"]), file("b", ["d"]), file("c", ["d", "b"]), file("d", []),
        ])
        let names = index.descriptorsWithDependencies(ofFile: "a")?.map { String(decoding: $0.dropFirst(2), as: UTF8.self) }
        #expect(names == ["a", "b", "d", "c"])
        #expect(index.descriptorsWithDependencies(ofFile: "e") == nil)
    }

    @Test func symbolsMapToTheirFile() {
        #expect(index.file(definingSymbol: "grpc.reflection.v1.ServerReflection.ServerReflectionInfo") == "grpc/reflection/v1/reflection.proto")
        #expect(index.file(definingSymbol: "grpc.testing.GrpclbRouteType") == "grpc/testing/messages.proto")
        #expect(index.file(definingSymbol: "grpc.testing.Missing") == nil)
    }

    @Test(arguments: [
        [0x0A, 0x05, 0x61] as [UInt8],  // a length past the end
        [0x80],  // a varint key that never ends
        [0x00, 0x01],  // field number 0
        [0x0B],  // a group
        [0x09, 0x00, 0x00],  // a fixed64 with 2 of 8 bytes
    ])
    func malformedBytesAreRejected(_ bytes: [UInt8]) {
        #expect(throws: ProtobufWireReader.MalformedError.self) { try ProtobufWireReader.fields(of: bytes[...]) }
    }

    @Test func wireReaderReadsEveryWireType() throws {
        // 1: varint 300, 2: "hi", 3: fixed64, 4: fixed32.
        let bytes: [UInt8] = [0x08, 0xAC, 0x02, 0x12, 0x02, 0x68, 0x69, 0x19] + [UInt8](repeating: 1, count: 8)
            + [0x25, 1, 2, 3, 4]
        let fields = try ProtobufWireReader.fields(of: bytes[...])
        #expect(fields.map(\.number) == [1, 2, 3, 4])
        #expect(fields.map { $0.bytes.map(Array.init) } == [nil, Array("hi".utf8), nil, nil])
    }
}
