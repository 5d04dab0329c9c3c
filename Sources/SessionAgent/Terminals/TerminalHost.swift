public import Foundation
public import SessionSDK
import Synchronization

/// The named, persistent terminals of one session, hosted by its agent.
///
/// A terminal is a command on a real pseudo-terminal (``PseudoTerminal``) with a bounded
/// scrollback (``Scrollback``). Its name, command, directory and scrollback are kept in
/// `stateDirectory`, in the session's own storage: a host started on the same directory
/// (the agent restarted, the session resumed) brings every terminal back with its name
/// and scrollback and starts its command again. Clients attach one at a time: the last
/// to attach controls the terminal and the previous one's stream ends with the reason
/// (``TerminalControl``).
///
/// ```swift
/// let host = try TerminalHost(configuration: .init(stateDirectory: state, workingDirectory: home))
/// let info = try host.create(name: nil, command: ["bash", "-l"], directory: nil)   // "quiet-otter"
/// let attachment = try host.attach(info.name, size: .init(rows: 40, columns: 120))
/// for await event in attachment.events { ... }    // the scrollback first, then live output
/// host.input(attachment, Array("ls\r".utf8))
/// ```
public final class TerminalHost: Sendable {
    /// Where terminals keep their state and what they start with.
    public struct Configuration: Sendable {
        /// Where the records and scrollback files live: the session's own storage.
        public var stateDirectory: URL
        /// The directory a terminal starts in when its creator names none.
        public var workingDirectory: String
        /// The command a terminal runs when its creator names none: the user's shell.
        public var defaultCommand: [String]
        /// The environment every terminal's command gets (`TERM` is set to
        /// `xterm-256color` unless it is here).
        public var environment: [String: String]
        /// How much scrollback each terminal keeps.
        public var scrollback: ScrollbackLimits

        /// A configuration; the shell is `$SHELL`, else `/bin/bash` where it exists,
        /// else `/bin/sh`.
        public init(
            stateDirectory: URL, workingDirectory: String, defaultCommand: [String]? = nil,
            environment: [String: String] = [:], scrollback: ScrollbackLimits = .defaults
        ) {
            self.stateDirectory = stateDirectory
            self.workingDirectory = workingDirectory
            self.defaultCommand = defaultCommand ?? [TerminalHost.userShell(environment)]
            self.environment = environment
            self.scrollback = scrollback
        }
    }

    /// What a client sees of a terminal.
    public struct TerminalInfo: Hashable, Sendable {
        /// The terminal's name, unique in the session.
        public var name: String
        /// Its command, as argv.
        public var command: [String]
        /// The directory it started in.
        public var directory: String
        /// When it was created.
        public var createdAt: Date
        /// When a client last attached; nil before the first.
        public var lastAttachedAt: Date?
        /// When its controlling client last sent input; nil before the first since the
        /// agent started.
        public var lastInputAt: Date?
        /// Whether a client is attached now.
        public var attached: Bool
        /// How its command ended; nil while it runs.
        public var exit: TerminalExit?

        /// When a person last did something with it: its last input, its last
        /// attachment, or its creation.
        public var lastActivityAt: Date {
            [lastInputAt, lastAttachedAt].compactMap(\.self).max() ?? createdAt
        }
    }

    /// What an attached client receives.
    public enum Event: Hashable, Sendable {
        /// Bytes the terminal printed (the scrollback first, on attach).
        case output([UInt8])
        /// The terminal's command ended; the stream ends after this.
        case exited(TerminalExit)
        /// The client no longer controls the terminal, and why; the stream ends after
        /// this.
        case detached(reason: String)
    }

    /// One client's attachment: its events, and the id its input goes with.
    public struct Attachment: Sendable {
        /// The terminal's name.
        public let name: String
        /// This attachment's id within the terminal.
        public let id: UInt64
        /// The scrollback, then live output, until the terminal exits or another
        /// client attaches.
        public let events: AsyncStream<Event>
    }

    /// Where terminals keep their state and what they start with.
    public let configuration: Configuration
    private let terminals = Mutex<[String: HostedTerminal]>([:])
    private let records: TerminalRecords

    /// A host on `configuration.stateDirectory`, with every terminal recorded there
    /// started again (its scrollback kept).
    ///
    /// - Throws: when the directory cannot be created or its records cannot be read.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        try FileManager.default.createDirectory(at: configuration.stateDirectory, withIntermediateDirectories: true)
        records = TerminalRecords(directory: configuration.stateDirectory)
        for record in try records.load() {
            let terminal = HostedTerminal(record: record, scrollback: scrollback(for: record.name))
            terminals.withLock { $0[record.name] = terminal }
            do {
                try start(terminal)
            } catch {
                terminal.ended(.init(code: 127, signal: nil), note: "could not restart: \(error)")
            }
        }
    }

    /// Creates and starts a terminal.
    ///
    /// - Parameters:
    ///   - name: its name; nil for a random readable one.
    ///   - command: argv; nil or empty for the user's shell.
    ///   - directory: where it starts; nil for the configured working directory.
    /// - Throws: `INVALID_ARGUMENT` for a bad name, `ALREADY_EXISTS` for a name in use,
    ///   `FAILED_PRECONDITION` when the command cannot be started (such as a program
    ///   that does not exist).
    public func create(name: String?, command: [String]?, directory: String?) throws(SessionError) -> TerminalInfo {
        let command = (command?.isEmpty ?? true) ? configuration.defaultCommand : command!
        let directory = directory.flatMap { $0.isEmpty ? nil : $0 } ?? configuration.workingDirectory
        if let name, !TerminalNames.isValid(name) {
            throw SessionError(
                .invalidArgument,
                "terminal name '\(name)' must be 1-\(TerminalNames.maximumLength) lower-case letters, digits and '-', not starting with '-'")
        }
        let terminal: HostedTerminal = try terminals.withLock { terminals throws(SessionError) in
            var generator = SystemRandomNumberGenerator()
            let chosen = name ?? TerminalNames.random(avoiding: Set(terminals.keys), using: &generator)
            guard terminals[chosen] == nil else {
                throw SessionError(.alreadyExists, "a terminal named '\(chosen)' exists in this session")
            }
            let record = TerminalRecord(name: chosen, command: command, directory: directory, createdAt: Date())
            let terminal = HostedTerminal(record: record, scrollback: scrollback(for: chosen, fresh: true))
            terminals[chosen] = terminal
            return terminal
        }
        do {
            try start(terminal)
        } catch {
            terminals.withLock { _ = $0.removeValue(forKey: terminal.name) }
            throw SessionError(.failedPrecondition, "terminal '\(terminal.name)' cannot start \(command[0]): \(error)")
        }
        saveRecords()
        return terminal.info
    }

    /// Every terminal, by name.
    public func list() -> [TerminalInfo] {
        terminals.withLock { $0.values.map(\.info) }.sorted { $0.name < $1.name }
    }

    /// Attaches to a terminal and takes control of it: the scrollback comes first,
    /// then live output. A client attached before is detached with a reason.
    ///
    /// - Throws: `NOT_FOUND` when no terminal has the name.
    public func attach(_ name: String, size: PseudoTerminalSize? = nil) throws(SessionError) -> Attachment {
        let terminal = try self.terminal(named: name)
        let attachment = terminal.attach()
        if let size { terminal.resize(attachment.id, size) }
        saveRecords()
        return attachment
    }

    /// Types `bytes` into the terminal, if `attachment` controls it.
    public func input(_ attachment: Attachment, _ bytes: [UInt8]) {
        (try? terminal(named: attachment.name))?.input(attachment.id, bytes)
    }

    /// Resizes the terminal's window, if `attachment` controls it.
    public func resize(_ attachment: Attachment, _ size: PseudoTerminalSize) {
        (try? terminal(named: attachment.name))?.resize(attachment.id, size)
    }

    /// Sends `signal` to the terminal's foreground command, if `attachment` controls it.
    public func signal(_ attachment: Attachment, _ signal: Int32) {
        (try? terminal(named: attachment.name))?.signal(attachment.id, signal)
    }

    /// Ends `attachment` (the client went away); the terminal keeps running.
    public func detach(_ attachment: Attachment) {
        (try? terminal(named: attachment.name))?.detach(attachment.id)
    }

    /// Ends every process of the terminal and forgets it and its scrollback.
    ///
    /// - Throws: `NOT_FOUND` when no terminal has the name.
    public func delete(_ name: String) throws(SessionError) {
        let terminal = try self.terminal(named: name)
        terminals.withLock { _ = $0.removeValue(forKey: name) }
        terminal.terminate(reason: "the terminal was deleted")
        saveRecords()
        try? FileManager.default.removeItem(at: scrollbackFile(for: name))
    }

    /// Ends every terminal's processes, keeping their records and scrollback (the agent
    /// is stopping: the session pauses).
    public func stopAll() {
        for terminal in terminals.withLock({ Array($0.values) }) {
            terminal.terminate(reason: "the session is stopping")
        }
    }

    // MARK: Internals

    private func terminal(named name: String) throws(SessionError) -> HostedTerminal {
        guard let terminal = terminals.withLock({ $0[name] }) else {
            throw SessionError(.notFound, "no terminal named '\(name)' in this session")
        }
        return terminal
    }

    private func start(_ terminal: HostedTerminal) throws {
        var environment = configuration.environment
        environment["TERM"] = environment["TERM"] ?? "xterm-256color"
        environment["SESSION_TERMINAL"] = terminal.name
        try terminal.start(environment: environment)
    }

    private func saveRecords() {
        let all = terminals.withLock { $0.values.map(\.record) }.sorted { $0.name < $1.name }
        try? records.save(all)
    }

    private func scrollbackFile(for name: String) -> URL {
        configuration.stateDirectory.appendingPathComponent("\(name).scrollback")
    }

    private func scrollback(for name: String, fresh: Bool = false) -> Scrollback {
        let file = scrollbackFile(for: name)
        if fresh { try? FileManager.default.removeItem(at: file) }
        return Scrollback(limits: configuration.scrollback, file: file)
    }

    /// `$SHELL`, else `/bin/bash` where it exists, else `/bin/sh`.
    static func userShell(_ environment: [String: String]) -> String {
        if let shell = environment["SHELL"] ?? ProcessInfo.processInfo.environment["SHELL"], !shell.isEmpty {
            return shell
        }
        return FileManager.default.isExecutableFile(atPath: "/bin/bash") ? "/bin/bash" : "/bin/sh"
    }
}
