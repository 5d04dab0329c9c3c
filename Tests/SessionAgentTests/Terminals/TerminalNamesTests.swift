import Testing

@testable import SessionAgent

struct TerminalNamesTests {
    @Test(arguments: ["a", "dev-server", "build2", String(repeating: "x", count: 63)])
    func validNames(_ name: String) {
        #expect(TerminalNames.isValid(name))
    }

    @Test(arguments: ["", "-x", "Dev", "a b", "a/b", "../x", "ü", String(repeating: "x", count: 64)])
    func invalidNames(_ name: String) {
        #expect(!TerminalNames.isValid(name))
    }

    @Test func randomNamesAreReadableValidAndAvoidTakenOnes() {
        var generator = SystemRandomNumberGenerator()
        var taken = Set<String>()
        for _ in 0..<2_000 {
            let name = TerminalNames.random(avoiding: taken, using: &generator)
            #expect(TerminalNames.isValid(name))
            #expect(!taken.contains(name))
            taken.insert(name)
        }
        #expect(taken.filter { $0.split(separator: "-").count == 2 }.count >= 1_000, "most names are adjective-animal")
    }
}
