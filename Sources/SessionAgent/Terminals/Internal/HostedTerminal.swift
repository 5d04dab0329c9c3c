import Foundation
import Synchronization

/// One terminal of a ``TerminalHost``: its record, its running command, its scrollback
/// and who controls it. Output arrives on the terminal's reader thread; everything
/// else from the host's callers.
final class HostedTerminal: Sendable {
    private struct State {
        var record: TerminalRecord
        var scrollback: Scrollback
        var terminal: PseudoTerminal?
        var size = PseudoTerminalSize.standard
        var control = TerminalControl()
        /// The controlling client's stream.
        var stream: (id: UInt64, continuation: AsyncStream<TerminalHost.Event>.Continuation)?
        var exit: TerminalExit?
        /// When its controlling client last typed (or pasted) something.
        var lastInputAt: Date?
    }

    /// Output chunks a slow client may have queued before its stream ends (it may
    /// attach again and get the scrollback).
    private static let queuedChunks = 1_024
    /// The size of the chunks the scrollback is replayed in.
    private static let replayChunk = 64 * 1024

    let name: String
    private let state: Mutex<State>

    init(record: TerminalRecord, scrollback: Scrollback) {
        name = record.name
        state = Mutex(State(record: record, scrollback: scrollback))
    }

    var record: TerminalRecord { state.withLock { $0.record } }

    var info: TerminalHost.TerminalInfo {
        state.withLock { state in
            TerminalHost.TerminalInfo(
                name: name, command: state.record.command, directory: state.record.directory,
                createdAt: state.record.createdAt, lastAttachedAt: state.record.lastAttachedAt,
                lastInputAt: state.lastInputAt, attached: state.control.isAttached, exit: state.exit)
        }
    }

    /// Starts the command (again).
    func start(environment: [String: String]) throws {
        let (record, size) = state.withLock { ($0.record, $0.size) }
        let terminal = try PseudoTerminal(
            command: record.command, environment: environment, directory: record.directory, size: size,
            output: { [self] bytes in received(bytes) },
            exited: { [self] exit in ended(exit) })
        state.withLock { state in
            state.terminal = terminal
            state.exit = nil
        }
    }

    private func received(_ bytes: [UInt8]) {
        let fellBehind: AsyncStream<TerminalHost.Event>.Continuation? = state.withLock { state in
            state.scrollback.append(bytes)
            guard let stream = state.stream else { return nil }
            switch stream.continuation.yield(.output(bytes)) {
            case .enqueued: return nil
            // It fell behind, or went away before its termination handler was set: its
            // stream ends; the scrollback waits for its next attach.
            case .dropped, .terminated: return Self.release(&state)
            @unknown default: return nil
            }
        }
        fellBehind?.finish()
    }

    /// The command ended (or could not start: `note` says why, into the scrollback).
    func ended(_ exit: TerminalExit, note: String? = nil) {
        let attached: AsyncStream<TerminalHost.Event>.Continuation? = state.withLock { state in
            if let note { state.scrollback.append(Array("\r\n[\(note)]\r\n".utf8)) }
            state.exit = exit
            state.terminal = nil
            return Self.release(&state)
        }
        attached?.yield(.exited(exit))
        attached?.finish()
    }

    /// Takes the controlling client's stream out of `state`; the caller ends it outside
    /// the lock (ending it runs its termination handler, which takes the lock).
    private static func release(_ state: inout State) -> AsyncStream<TerminalHost.Event>.Continuation? {
        guard let stream = state.stream else { return nil }
        state.stream = nil
        state.control.detach(stream.id)
        return stream.continuation
    }

    func attach() -> TerminalHost.Attachment {
        let (stream, continuation) = AsyncStream.makeStream(
            of: TerminalHost.Event.self, bufferingPolicy: .bufferingOldest(Self.queuedChunks))
        let (id, displaced, exit) = state.withLock { state in
            let (id, displacedID) = state.control.attach()
            var displaced: AsyncStream<TerminalHost.Event>.Continuation?
            if let stream = state.stream, stream.id == displacedID {
                displaced = stream.continuation
                state.stream = nil
            }
            state.record.lastAttachedAt = Date()
            var replay = state.scrollback.bytes[...]
            while !replay.isEmpty {
                continuation.yield(.output(Array(replay.prefix(Self.replayChunk))))
                replay = replay.dropFirst(Self.replayChunk)
            }
            if state.exit == nil {
                state.stream = (id, continuation)
            } else {
                state.control.detach(id)
            }
            return (id, displaced, state.exit)
        }
        displaced?.yield(.detached(reason: "another client attached to terminal '\(name)'"))
        displaced?.finish()
        if let exit {
            continuation.yield(.exited(exit))
            continuation.finish()
        }
        continuation.onTermination = { [weak self] _ in self?.detach(id) }
        return TerminalHost.Attachment(name: name, id: id, events: stream)
    }

    func detach(_ id: UInt64) {
        let continuation: AsyncStream<TerminalHost.Event>.Continuation? = state.withLock { state in
            guard state.stream?.id == id else { return nil }
            return Self.release(&state)
        }
        continuation?.finish()
    }

    func input(_ id: UInt64, _ bytes: [UInt8]) {
        let terminal: PseudoTerminal? = state.withLock { state in
            guard state.control.mayControl(id), let terminal = state.terminal else { return nil }
            state.lastInputAt = Date()
            return terminal
        }
        terminal?.write(bytes)
    }

    func resize(_ id: UInt64, _ size: PseudoTerminalSize) {
        let terminal: PseudoTerminal? = state.withLock { state in
            guard state.control.mayControl(id) else { return nil }
            state.size = size
            return state.terminal
        }
        terminal?.resize(size)
    }

    func signal(_ id: UInt64, _ signal: Int32) {
        controlled(by: id)?.signal(signal)
    }

    /// Ends the attached client's stream with `reason` and every process of the
    /// terminal.
    func terminate(reason: String) {
        let (attached, terminal) = state.withLock { state in (Self.release(&state), state.terminal) }
        attached?.yield(.detached(reason: reason))
        attached?.finish()
        terminal?.terminate()
    }

    private func controlled(by id: UInt64) -> PseudoTerminal? {
        state.withLock { $0.control.mayControl(id) ? $0.terminal : nil }
    }
}
