@testable import LocalBackend
import SessionSDK
import Testing

@Suite("Namespace script")
struct NamespaceScriptTests {
    @Test("quoting keeps any text one shell word, unexpanded", arguments: [
        "plain", "two words", "it's", "'", "''", "$HOME", "`id`", "$(id)", "back\\slash", "new\nline", "*", "-n", "",
    ])
    func quoting(_ text: String) async throws {
        let tools = ToolPaths()
        let result = try await ChildProcess.run(
            tools.shell, ["-c", "printf '%s' \(NamespaceScript.quoted(text))"], environment: [:],
            scratchDirectory: "/tmp", timeout: .seconds(10))
        #expect(result.exitCode == 0)
        #expect(result.output == text)
    }

    @Test("read-only links are remounted read-only; writable ones are not; the command runs in a nested namespace")
    func setupScript() {
        let script = NamespaceScript(
            tools: ToolPaths(), home: "/srv/home of 'x'",
            mounts: [
                BindMount(source: "/b/ro", target: "/workspace/data/ro", readOnly: true),
                BindMount(source: "/b/rw", target: "/workspace/data/rw", readOnly: false),
            ],
            hiddenDirectories: ["/srv"])
        let lines = script.setupScript.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("--bind '/srv/home of '\\''x'\\''' /workspace") })
        #expect(lines.contains { $0.hasSuffix("-o remount,bind,ro '/workspace/data/ro'") })
        #expect(!lines.contains { $0.hasSuffix("-o remount,bind,ro '/workspace/data/rw'") })
        #expect(lines.last?.hasSuffix("--user --map-root-user --mount -- \"$@\"") == true)
        #expect(script.unshareArguments(running: ["cmd", "arg"]).suffix(2) == ["cmd", "arg"])
    }
}
