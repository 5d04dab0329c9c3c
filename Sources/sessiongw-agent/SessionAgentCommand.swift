import ArgumentParser
import Dispatch
import Foundation
import Logging
import SessionAgent
import SessionSDK

/// `sessiongw-agent`: the agent a backend starts in every session. It starts the IDE
/// command given after `--` and serves the session's terminals to the gateway until the
/// IDE command ends (the agent then exits with its status) or SIGTERM or SIGINT; then
/// it ends the terminals' processes, keeping their records and scrollback for the next
/// start.
@main
struct SessionAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessiongw-agent",
        abstract: "Serve a session's terminals to the gateway.",
        discussion: """
            The token file (or variable) holds the session's agent token; callers must send \
            'authorization: Bearer <token>'. The token opens this session's agent and no other.

            Example: sessiongw-agent --listen 127.0.0.1:7001 --token-file /run/agent-token \
            --state-directory /workspace/.sessiongw/terminals -- jupyter lab --port 8888

            An init container copies the agent into a pod's shared volume with \
            'sessiongw-agent --install-to /sessiongw/sessiongw-agent' (no shell or cp needed in its image).
            """)

    @Option(help: ArgumentHelp("Copy this executable to PATH (mode 0755) and exit.", valueName: "path"))
    var installTo: String?

    @Option(help: ArgumentHelp("Where to listen: HOST:PORT or unix:PATH.", valueName: "address"))
    var listen: String?

    @Option(help: ArgumentHelp("A file holding the session's agent token.", valueName: "path"))
    var tokenFile: String?

    @Option(help: ArgumentHelp(
        "A variable holding the session's agent token; it is removed from the environment the IDE and terminals get.",
        valueName: "name"))
    var tokenEnv: String?

    @Option(help: ArgumentHelp("Where terminals keep their records and scrollback: the session's storage.", valueName: "dir"))
    var stateDirectory: String?

    @Option(help: ArgumentHelp("Where terminals start. Default: the current directory.", valueName: "dir"))
    var workingDirectory: String?

    @Option(help: "Lines of scrollback each terminal keeps.")
    var scrollbackLines = 10_000

    @Option(help: "Bytes of scrollback each terminal keeps.")
    var scrollbackBytes = 2 << 20

    @Option(help: ArgumentHelp("The IDE command's port, probed for readiness. Default: $SESSION_PORT.", valueName: "port"))
    var idePort: Int?

    @Option(help: ArgumentHelp(
        "How often to sample the session's CPU, memory, disk and GPUs, in seconds. Default: $SESSIONGW_SAMPLE_INTERVAL, else 15.",
        valueName: "seconds"))
    var sampleInterval: Double?

    @Option(help: ArgumentHelp(
        "How to measure the disk of the working directory: 'filesystem' (its filesystem, as df shows it) or 'directory' (the files under it, as du counts them, for homes on elastic storage).",
        valueName: "how"),
        transform: { text in
            guard let usage = SessionAgentLaunch.DiskUsage(rawValue: text) else {
                throw ValidationError("--disk-usage is 'filesystem' or 'directory', not '\(text)'")
            }
            return usage
        })
    var diskUsage: SessionAgentLaunch.DiskUsage = .filesystem

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The IDE command to supervise, after '--'.", valueName: "command"))
    var command: [String] = []

    func run() async throws {
        if let installTo { return try Self.install(to: installTo) }
        guard let listen, let stateDirectory else {
            throw ValidationError("--listen and --state-directory are required (unless --install-to)")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PWD"] = nil
        let token = try readToken(environment: &environment)
        let agent = try Agent(configuration: .init(
            listen: listen, token: token,
            terminals: .init(
                stateDirectory: URL(fileURLWithPath: stateDirectory),
                workingDirectory: workingDirectory ?? FileManager.default.currentDirectoryPath,
                environment: environment,
                scrollback: .init(maximumLines: scrollbackLines, maximumBytes: scrollbackBytes)),
            ide: command.isEmpty
                ? nil : .init(command: command, port: idePort ?? environment["SESSION_PORT"].flatMap { Int($0) }),
            sampleInterval: .milliseconds(
                Int64(max(0.2, sampleInterval ?? environment["SESSIONGW_SAMPLE_INTERVAL"].flatMap(Double.init) ?? 15) * 1000)),
            diskUsage: diskUsage))
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for source in sources {
            source.setEventHandler { agent.stop() }
            source.resume()
        }
        defer { sources.forEach { $0.cancel() } }
        let exit = try await agent.run { addresses in
            for address in addresses { print("sessiongw-agent listening on \(address)") }
            fflush(nil)
        }
        // The IDE command's status, as a shell reports it.
        if let exit, exit != TerminalExit(code: 0, signal: nil) {
            throw ExitCode(exit.code ?? 128 + (exit.signal ?? 0))
        }
    }

    /// The token from `--token-file` or `--token-env` (exactly one), the variable then
    /// taken out of `environment`.
    private func readToken(environment: inout [String: String]) throws -> String {
        let token: String
        switch (tokenFile, tokenEnv) {
        case (let file?, nil):
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read the token file \(file)")
            }
            token = String(decoding: contents, as: UTF8.self)
        case (nil, let name?):
            token = environment.removeValue(forKey: name) ?? ""
            unsetenv(name)
        default:
            throw ValidationError("give the agent token with exactly one of --token-file and --token-env")
        }
        let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationError("the agent token is empty") }
        return trimmed
    }

    /// Copies the running executable to `path` with mode 0755.
    private static func install(to path: String) throws {
        let files = FileManager.default
        let source = try files.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let temporary = path + ".tmp-\(getpid())"
        try? files.removeItem(atPath: temporary)
        try files.copyItem(atPath: source, toPath: temporary)
        try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
        guard rename(temporary, path) == 0 else {
            throw ValidationError("cannot install to \(path): \(String(cString: strerror(errno)))")
        }
        print("installed sessiongw-agent at \(path)")
    }
}
