import SessionSDK
import Testing

struct PresetTests {
    @Test(arguments: [
        ("/sessions/default/s-1/", "/sessions/default/s-1/"),
        ("/", nil), ("", nil), ("sessions/s-1/", nil), ("/sessions/s-1", nil), ("/a/?x=1/", nil), ("/a/#b/", nil),
    ] as [(String, String?)])
    func basePathIsAnAbsoluteDirectoryBelowTheRoot(value: String, expected: String?) {
        #expect(Preset.basePath(in: [Preset.baseURLVariable: value]) == expected)
    }

    @Test func noVariableMeansTheRoot() {
        #expect(Preset.basePath(in: ["OTHER": "/x/"]) == nil)
    }
}
