@testable import RPCTransport
import Testing

struct Base64Tests {
    @Test(arguments: [
        ([UInt8](), "", ""), ([0xAB], "qw==", "qw"), ([0xAB, 0xAB], "q6s=", "q6s"),
        ([0xAB, 0xAB, 0xAB], "q6ur", "q6ur"), (Array("hello".utf8), "aGVsbG8=", "aGVsbG8"),
    ])
    func encodesPaddedAndUnpaddedAndDecodesBoth(bytes: [UInt8], padded: String, unpadded: String) {
        #expect(Base64.encode(bytes, padded: true) == padded)
        #expect(Base64.encode(bytes, padded: false) == unpadded)
        #expect(Base64.decode(padded.utf8) == bytes)
        #expect(Base64.decode(unpadded.utf8) == bytes)
    }

    @Test(arguments: ["q", "q===", "qw=a", "a*bc", "aGVsbG8==="])
    func invalidInputIsRefused(text: String) {
        #expect(Base64.decode(text.utf8) == nil)
    }
}
