import Foundation
import SessionAgent
import SessionSDK
import Testing

/// Terminals on real pseudo-terminals: input and output, window sizes, scrollback
/// replayed on attach, exclusive control, exit, delete and restart from the state
/// directory.
@Suite("Terminal host", .timeLimit(.minutes(2)))
struct TerminalHostTests {
    @Test("a terminal runs a shell: typed input reaches it and its output comes back; a random name when none is given")
    func typedInputAndOutput() async throws {
        try await withHost { host in
            let info = try host.create(name: nil, command: ["/bin/sh"], directory: nil)
            #expect(info.name.split(separator: "-").count >= 2)
            #expect(info.exit == nil)
            var reader = TerminalReader(try host.attach(info.name))
            #expect(host.list().first?.lastInputAt == nil)
            let attached = try #require(host.list().first?.lastAttachedAt)
            #expect(host.list().first?.lastActivityAt == attached, "attaching is activity")
            host.input(reader.attachment, Array("echo hel''lo-$((6*7))\r".utf8))
            try await reader.read(until: "hello-42")
            #expect(host.list().map(\.name) == [info.name])
            #expect(host.list().first?.attached == true)
            let typed = try #require(host.list().first?.lastInputAt, "typing is recorded for the idle signal")
            #expect(typed >= attached && host.list().first?.lastActivityAt == typed)
        }
    }

    @Test("the window size reaches the terminal: stty size follows a resize")
    func windowSize() async throws {
        try await withHost { host in
            let info = try host.create(name: "sized", command: ["/bin/sh"], directory: nil)
            var reader = TerminalReader(try host.attach(info.name, size: PseudoTerminalSize(rows: 30, columns: 100)))
            host.input(reader.attachment, Array("stty size\r".utf8))
            try await reader.read(until: "30 100")
            host.resize(reader.attachment, PseudoTerminalSize(rows: 41, columns: 132))
            host.input(reader.attachment, Array("stty size; echo TERM=$TERM\r".utf8))
            try await reader.read(until: "41 132")
            try await reader.read(until: "TERM=xterm-256color")
        }
    }

    @Test("seq 1 100000, detach, attach again: the last lines are replayed, within the line bound")
    func scrollbackIsReplayed() async throws {
        try await withHost(scrollback: ScrollbackLimits(maximumLines: 10_000, maximumBytes: 2 << 20)) { host in
            let info = try host.create(name: "numbers", command: ["/bin/sh"], directory: nil)
            var first = TerminalReader(try host.attach(info.name))
            host.input(first.attachment, Array("seq 1 100000; echo done-$((1+1))\r".utf8))
            try await first.read(until: "done-2")
            host.detach(first.attachment)

            var second = TerminalReader(try host.attach(info.name))
            try await second.read(until: "done-2")
            #expect(second.text.contains("\n99999\r\n100000\r\n"))
            #expect(!second.text.contains("\n50000\r\n"), "more than 10,000 lines were kept")
        }
    }

    @Test("the last client to attach takes control: the previous one is told why and its input is ignored")
    func exclusiveControl() async throws {
        try await withHost { host in
            let info = try host.create(name: "shared", command: ["/bin/sh"], directory: nil)
            var first = TerminalReader(try host.attach(info.name))
            var second = TerminalReader(try host.attach(info.name))
            let end = try await first.readToEnd()
            #expect(end == .detached(reason: "another client attached to terminal 'shared'"))
            host.input(first.attachment, Array("echo from-first-$((2*2))\r".utf8))
            host.input(second.attachment, Array("echo from-second-$((3*3))\r".utf8))
            try await second.read(until: "from-second-9")
            #expect(!second.text.contains("from-first-4"))
        }
    }

    @Test("a command that exits is listed with its status; attaching replays its output and the exit")
    func exitedTerminal() async throws {
        try await withHost { host in
            let info = try host.create(name: "short", command: ["/bin/sh", "-c", "echo bye; exit 3"], directory: nil)
            try await eventually { host.list().first?.exit == TerminalExit(code: 3, signal: nil) }
            var reader = TerminalReader(try host.attach(info.name))
            let end = try await reader.readToEnd()
            #expect(reader.text.contains("bye"))
            #expect(end == .exited(TerminalExit(code: 3, signal: nil)))
        }
    }

    @Test("delete ends every process of the terminal, background jobs and SIGHUP-immune ones included")
    func deleteEndsEveryProcess() async throws {
        try await withHost { host in
            let pids = host.configuration.workingDirectory + "/pids"
            let script = "trap '' HUP; sleep 600 & echo $! > \(pids); (trap '' HUP; exec sleep 601) & echo $! >> \(pids); "
                + "echo $$ >> \(pids); wait"
            _ = try host.create(name: "busy", command: ["/bin/sh", "-c", script], directory: nil)
            try await eventually { ((try? String(contentsOfFile: pids)) ?? "").split(separator: "\n").count == 3 }
            let started = try String(contentsOfFile: pids).split(separator: "\n").compactMap { pid_t($0) }
            #expect(started.allSatisfy(isAlive))
            try host.delete("busy")
            try await eventually { !started.contains(where: isAlive) }
            #expect(host.list().isEmpty)
            #expect(throws: SessionError.self) { try host.delete("busy") }
        }
    }

    @Test("a host on the same state directory brings terminals back with their scrollback and starts their commands again")
    func restart() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("terminals-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        try await withHost(root: root) { host in
            let info = try host.create(name: "kept", command: ["/bin/sh"], directory: nil)
            var reader = TerminalReader(try host.attach(info.name))
            host.input(reader.attachment, Array("echo before-$((5*5))\r".utf8))
            try await reader.read(until: "before-25")
        }
        try await withHost(root: root) { host in
            #expect(host.list().map(\.name) == ["kept"])
            #expect(host.list().first?.exit == nil)
            var reader = TerminalReader(try host.attach("kept"))
            try await reader.read(until: "before-25")
            host.input(reader.attachment, Array("echo after-$((6*6))\r".utf8))
            try await reader.read(until: "after-36")
        }
    }

    @Test("bad requests get precise errors")
    func errors() async throws {
        try await withHost { host in
            _ = try host.create(name: "one", command: ["/bin/sh"], directory: nil)
            expectError(.alreadyExists) { _ = try host.create(name: "one", command: nil, directory: nil) }
            expectError(.invalidArgument) { _ = try host.create(name: "../etc", command: nil, directory: nil) }
            expectError(.failedPrecondition) { _ = try host.create(name: "two", command: ["/no/such/program"], directory: nil) }
            expectError(.notFound) { _ = try host.attach("three") }
            #expect(host.list().map(\.name) == ["one"])
        }
    }
}

// MARK: Support

/// Runs `body` with a host whose working directory is `root` and state `root/state`;
/// a `root` of nil is a new directory, removed afterwards.
private func withHost(
    root: URL? = nil, scrollback: ScrollbackLimits = .defaults, _ body: (TerminalHost) async throws -> Void
) async throws {
    let work = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("terminal-host-\(UUID())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { if root == nil { try? FileManager.default.removeItem(at: work) } }
    let host = try TerminalHost(configuration: .init(
        stateDirectory: work.appendingPathComponent("state"), workingDirectory: work.path,
        environment: ["PATH": "/usr/bin:/bin", "PS1": "$ "], scrollback: scrollback))
    defer { host.stopAll() }
    try await body(host)
}

/// Reads an attachment's events, keeping the output as text.
private struct TerminalReader {
    let attachment: TerminalHost.Attachment
    private var iterator: AsyncStream<TerminalHost.Event>.Iterator
    private(set) var text = ""

    init(_ attachment: TerminalHost.Attachment) {
        self.attachment = attachment
        iterator = attachment.events.makeAsyncIterator()
    }

    /// Reads until the output holds `marker` (30 s at most).
    mutating func read(until marker: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !text.contains(marker) {
            guard ContinuousClock.now < deadline else { throw AgentTestFailure("no '\(marker)' in: \(text.suffix(500))") }
            guard let event = await iterator.next() else { throw AgentTestFailure("the stream ended before '\(marker)'") }
            if case .output(let bytes) = event { text += String(decoding: bytes, as: UTF8.self) }
        }
    }

    /// Reads to the end of the stream; returns the last event that was not output.
    mutating func readToEnd() async throws -> TerminalHost.Event? {
        var last: TerminalHost.Event?
        while let event = await iterator.next() {
            if case .output(let bytes) = event { text += String(decoding: bytes, as: UTF8.self) } else { last = event }
        }
        return last
    }
}

/// Whether `pid` is a live process (not gone, not a zombie).
private func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
    return !stat[stat.index(after: close)...].hasPrefix(" Z")
}

private func expectError(_ code: SessionError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("no error; expected \(code)", sourceLocation: sourceLocation)
    } catch let error as SessionError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}
