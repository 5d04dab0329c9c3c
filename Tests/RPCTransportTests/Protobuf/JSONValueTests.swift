import Testing
import RPCTransport

@Suite struct JSONValueTests {
    @Test func compactKeepsMemberOrder() {
        let value: JSONValue = .object(["b": .int(1), "a": .array([.bool(true), .null]), "c": .object([])])
        #expect(value.rendered(pretty: false) == #"{"b":1,"a":[true,null],"c":{}}"#)
    }

    @Test func prettyIndentsByTwoSpaces() {
        let value: JSONValue = .object(["list": .array([.int(1)]), "empty": .array([])])
        #expect(value.rendered(pretty: true) == "{\n  \"list\": [\n    1\n  ],\n  \"empty\": []\n}")
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote\" back\\slash", #""quote\" back\\slash""#),
        ("line\nfeed\ttab\r", #""line\nfeed\ttab\r""#),
        ("\u{01}\u{1F}\u{7F}", #""\u0001\u001f\u007f""#),
        ("ünïcödé ✓", "\"ünïcödé ✓\""),
    ])
    func stringsAreEscaped(input: String, expected: String) {
        #expect(JSONValue.string(input).rendered(pretty: false) == expected)
    }

    @Test(arguments: [
        (5.0, "5"), (1.5, "1.5"), (1795266226.5228355, "1795266226.5228355"), (-0.25, "-0.25"),
        (Double.nan, "null"), (Double.infinity, "null"), (1e20, "1e+20"),
    ])
    func doublesRenderAsJSONNumbers(value: Double, expected: String) {
        #expect(JSONValue.double(value).rendered(pretty: false) == expected)
    }
}
