@testable import SessionGateway
import SessionSDK
import Testing

@Suite("PageTokenCodec")
struct PageTokenTests {
    let codec = PageTokenCodec(secretHex: PageTokenCodec.makeSecret())

    @Test("a token decodes to the position it was made from, times exactly")
    func roundTrip() throws {
        let token = PageToken(query: 42, time: 1_700_000_000.123_456_7, id: "s-abc")
        let text = codec.encode(token)
        #expect(!text.contains("="))
        #expect(!text.contains("/"))
        #expect(!text.contains("+"))
        let decoded = try #require(try codec.decode(text, query: 42))
        #expect(decoded == token)
        #expect(decoded.createdAt == 1_700_000_000.123_456_7)
        #expect(try codec.decode("", query: 42) == nil)
    }

    @Test("every single-character change of a token is refused")
    func everyEditRefused() throws {
        let text = codec.encode(PageToken(query: 7, time: 12.5, id: "s-0123456789abcdef"))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var characters = Array(text)
        // The last character may carry unused bits; every other position must be checked.
        for position in 0..<(characters.count - 1) {
            let original = characters[position]
            characters[position] = alphabet.first { $0 != original }!
            #expect(throws: SessionError.self) { try codec.decode(String(characters), query: 7) }
            characters[position] = original
        }
    }

    @Test("a token of another store (another secret) or another query is refused")
    func foreign() throws {
        let other = PageTokenCodec(secretHex: PageTokenCodec.makeSecret())
        let text = other.encode(PageToken(query: 1, time: 0, id: "x"))
        #expect(throws: SessionError.self) { try codec.decode(text, query: 1) }
        let mine = codec.encode(PageToken(query: 1, time: 0, id: "x"))
        #expect(throws: SessionError.self) { try codec.decode(mine, query: 2) }
    }

    @Test("query fingerprints differ for different part lists, also ones that concatenate alike")
    func fingerprints() {
        #expect(Fingerprint.of(["ab", "c"]) != Fingerprint.of(["a", "bc"]))
        #expect(Fingerprint.of(["a"]) == Fingerprint.of(["a"]))
        let one = SessionFilter(labels: ["a": "1", "b": "2"])
        let two = SessionFilter(labels: ["b": "2", "a": "1"])
        #expect(one.canonicalParts == two.canonicalParts)
        #expect(SessionFilter(owner: "").canonicalParts != SessionFilter().canonicalParts)
    }
}
