import RPCTransport
import Testing

@Suite struct MetadataTests {
    @Test func keysAreLowerCasedAndOrderKept() {
        var metadata: Metadata = ["X-One": "1"]
        metadata.add("x-one", "2")
        metadata.add("trace-bin", .binary([1, 2, 3]))
        #expect(metadata[values: "X-ONE"] == [.string("1"), .string("2")])
        #expect(metadata[binary: "trace-bin"] == [1, 2, 3])
        #expect(metadata.map(\.key) == ["x-one", "x-one", "trace-bin"])
    }
}
