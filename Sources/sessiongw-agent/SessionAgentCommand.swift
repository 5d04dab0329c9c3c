import ArgumentParser
import Dispatch
import Foundation
import Logging
import SessionAgent

/// `sessiongw-agent`: the agent a backend starts in every session. It serves the
/// session's terminals to the gateway until SIGTERM or SIGINT, then ends their
/// processes (keeping their records and scrollback for the next start).
@main
struct SessionAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessiongw-agent",
        abstract: "Serve a session's terminals to the gateway.",
        discussion: """
            The token file holds the session's agent token; callers must send \
            'authorization: Bearer <token>'. Keep the file out of the session's reach.
            """)

    @Option(help: ArgumentHelp("Where to listen: HOST:PORT or unix:PATH.", valueName: "address"))
    var listen: String

    @Option(help: ArgumentHelp("A file holding the session's agent token.", valueName: "path"))
    var tokenFile: String

    @Option(help: ArgumentHelp("Where terminals keep their records and scrollback: the session's storage.", valueName: "dir"))
    var stateDirectory: String

    @Option(help: ArgumentHelp("Where terminals start. Default: the current directory.", valueName: "dir"))
    var workingDirectory: String?

    @Option(help: "Lines of scrollback each terminal keeps.")
    var scrollbackLines = 10_000

    @Option(help: "Bytes of scrollback each terminal keeps.")
    var scrollbackBytes = 2 << 20

    func run() async throws {
        guard let contents = FileManager.default.contents(atPath: tokenFile) else {
            throw ValidationError("cannot read the token file \(tokenFile)")
        }
        let token = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ValidationError("the token file \(tokenFile) is empty") }
        var environment = ProcessInfo.processInfo.environment
        environment["PWD"] = nil
        let agent = try Agent(configuration: .init(
            listen: listen, token: token,
            terminals: .init(
                stateDirectory: URL(fileURLWithPath: stateDirectory),
                workingDirectory: workingDirectory ?? FileManager.default.currentDirectoryPath,
                environment: environment,
                scrollback: .init(maximumLines: scrollbackLines, maximumBytes: scrollbackBytes))))
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for source in sources {
            source.setEventHandler { agent.stop() }
            source.resume()
        }
        defer { sources.forEach { $0.cancel() } }
        try await agent.run { addresses in
            for address in addresses { print("sessiongw-agent listening on \(address)") }
            fflush(nil)
        }
    }
}
