import BackendStorage
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

    @Test("read-only links are remounted read-only; writable ones are not; the command runs in a bubblewrap sandbox")
    func setupScript() throws {
        let script = NamespaceScript(
            tools: ToolPaths(), home: "/srv/home of 'x'",
            mounts: [
                BindMount(source: "/b/ro", target: "/workspace/data/ro", readOnly: true),
                BindMount(source: "/b/rw", target: "/workspace/data/rw", readOnly: false),
            ],
            hiddenDirectories: ["/srv"],
            system: [.directory("/usr"), .symbolicLink("/bin", target: "usr/bin")], sandboxUser: SandboxUser(uid: 65534, gid: 65534))
        let lines = script.setupScript.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("--bind '/srv/home of '\\''x'\\''' /workspace") })
        #expect(lines.contains { $0.hasSuffix("-o remount,bind,ro '/workspace/data/ro'") })
        #expect(!lines.contains { $0.hasSuffix("-o remount,bind,ro '/workspace/data/rw'") })
        let sandbox = try #require(lines.last)
        #expect(sandbox.hasPrefix("exec '\(ToolPaths().setpriv)' '--reuid=65534' '--regid=65534' '--clear-groups'"))
        for part in ["'--unshare-user' '--disable-userns' '--unshare-pid' '--unshare-ipc'", "'--ro-bind' '/usr' '/usr'",
                     "'--symlink' 'usr/bin' '/bin'", "'--tmpfs' '/tmp'", "'--bind' '/workspace' '/workspace'"] {
            #expect(sandbox.contains(part), "\(part)")
        }
        #expect(sandbox.hasSuffix("'--' \"$@\""))
        // As root the set-up keeps the host's user namespace, so that setpriv can drop to the sandbox user.
        let arguments = script.unshareArguments(running: ["cmd", "arg"])
        #expect(!arguments.contains("--user"))
        #expect(arguments.suffix(2) == ["cmd", "arg"])
        var unprivileged = script
        unprivileged.sandboxUser = nil
        #expect(unprivileged.unshareArguments(running: ["cmd"]).prefix(2) == ["--user", "--map-root-user"])
        #expect(unprivileged.sandboxCommand.hasPrefix("exec '\(ToolPaths().bwrap)' '--args' '0'"))
    }

    @Test("the sandbox's variables are NUL-separated bwrap arguments that clear the environment first")
    func sandboxEnvironment() {
        let bytes = SandboxArguments.environment(["B": "two words", "A": "x\ny"])
        let words = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        #expect(words == ["--clearenv", "--setenv", "A", "x\ny", "--setenv", "B", "two words", ""])
    }

    @Test("""
        a custom environment is built in a sandbox of its own with no workspace, home or pip configuration, published \
        to the cache as root's, and shown read-only to the session through the outermost hidden directory
        """)
    func environment() throws {
        let stage = EnvironmentStage(
            cacheDirectory: "/data/local/environments/k1", buildDirectory: "/data/local/environments/.build-s1",
            buildLog: "/data/local/sessions/s1/build.log", buildRunningMarker: "/data/local/sessions/s1/build-running",
            buildExitStatus: "/data/local/sessions/s1/build-exit-status", packages: ["numpy==2.1.0"],
            buildVariables: ["PATH": "/usr/bin", "HOME": "/workspace"])
        let script = NamespaceScript(
            tools: ToolPaths(), home: "/data/local/sessions/s1/home", mounts: [],
            hiddenDirectories: ["/data/local", "/data", "/elsewhere"], system: [.directory("/usr")],
            sandboxUser: SandboxUser(uid: 65534, gid: 65534), environment: stage)
        let lines = script.setupScript.split(separator: "\n").map(String.init)
        // The build: wheels only, into the passage under the outermost hidden directory, with its own variables.
        let build = script.buildScript(stage)
        for part in ["exec 4< '/data/local/environments/.build-s1'", "--bind /proc/self/fd/4 '/data/.environment'",
                     "'--bind' '/data/.environment' '/srv/environment'", "'--setenv' 'PIP_CONFIG_FILE' '/dev/null'",
                     "'--setenv' 'HOME' '/tmp'", "'--clearenv'", "--only-binary=:all:", "'environment-build' 'numpy==2.1.0'"] {
            #expect(build.contains(part), "\(part)")
        }
        #expect(!build.contains("'/workspace'"), "the build sees no workspace")
        #expect(!build.contains("'HOME' '/workspace'"), "the build has a home of its own")
        #expect(lines.contains { $0.contains("-T -- '/data/local/environments/.build-s1' '/data/local/environments/k1'") })
        #expect(lines.contains { $0.contains("-R -P 0:0 -- '/data/local/environments/k1'") })
        // The session: the cache entry, read-only, reached through the same passage.
        #expect(lines.contains("exec 3< '/data/local/environments/k1'"))
        #expect(lines.contains { $0.hasSuffix("--bind /proc/self/fd/3 '/data/.environment'") })
        #expect(lines.contains { $0.hasPrefix("if [ -d '/data/local' ]; then") }, "inner hidden directories are hidden first")
        let carrier = try #require(lines.firstIndex { $0.hasSuffix("-t tmpfs -o size=4k,mode=0755 hidden '/data'") })
        #expect(lines.firstIndex { $0.hasPrefix("if [ -d '/elsewhere' ]") }! < carrier, "the carrier is hidden last")
        let sandbox = try #require(lines.last)
        #expect(sandbox.contains("'--ro-bind' '/data/.environment' '/srv/environment'"))

        var plain = script
        plain.environment = nil
        #expect(!plain.setupScript.contains("environment"))
    }
}
