import Foundation
public import RPCTransport
public import SessionAPI
import Synchronization

/// One client's `AttachTerminal` call through the gateway, run in the background: what
/// the terminal printed so far, how the stream ended, and a way to type.
///
/// ```swift
/// let attachment = TerminalAttachment(client: gateway.terminals, session: id, name: "main")
/// attachment.type("echo hi\r")
/// try await attachment.waitForOutput(containing: "hi")
/// await attachment.close()
/// ```
public final class TerminalAttachment: Sendable {
    /// How the stream ended.
    public enum End: Sendable, Equatable {
        /// The server sent `detached` with this reason.
        case detached(String)
        /// The terminal's command ended.
        case exited(V1Terminal)
        /// The call failed with this status.
        case failed(RPCError.Code, String)
        /// The server ended the stream without saying why.
        case ended
    }

    private struct State {
        var output: [UInt8] = []
        var end: End?
    }

    /// The state, shared with the call's task.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared = Shared()
    private let input: AsyncStream<V1AttachTerminalRequest>.Continuation
    private let call: Task<Void, Never>

    /// Opens the attachment (`open` with `size`, if given) and starts reading.
    public init(client: TerminalServiceClient, session: String, name: String, size: V1WindowSize? = nil) {
        let (requests, input) = AsyncStream.makeStream(of: V1AttachTerminalRequest.self)
        self.input = input
        let shared = shared
        call = Task {
            let end: End
            do {
                end = try await client.attachTerminal { writer, responses in
                    try await writer.write(V1AttachTerminalRequest(
                        kind: .open(.init(sessionID: session, name: name, windowSize: size))))
                    return try await withThrowingTaskGroup(of: End?.self) { group in
                        group.addTask {
                            for await request in requests { try await writer.write(request) }
                            return nil
                        }
                        group.addTask {
                            for try await response in responses {
                                switch response.kind {
                                case .output(let bytes): shared.state.withLock { $0.output += bytes }
                                case .detached(let detached): return .detached(detached.reason)
                                case .exited(let terminal): return .exited(terminal)
                                case nil: continue
                                }
                            }
                            return .ended
                        }
                        defer { group.cancelAll() }
                        let first = try await group.next()
                        return (first ?? nil) ?? .ended
                    }
                }
            } catch let error as RPCError {
                end = .failed(error.code, error.message)
            } catch {
                end = .failed(.unknown, "\(error)")
            }
            shared.state.withLock { if $0.end == nil { $0.end = end } }
        }
    }

    /// Everything the terminal sent so far, as text.
    public var output: String { shared.state.withLock { String(decoding: $0.output, as: UTF8.self) } }

    /// How the stream ended; nil while it is open.
    public var end: End? { shared.state.withLock { $0.end } }

    /// Types `text`.
    public func type(_ text: String) {
        input.yield(V1AttachTerminalRequest(kind: .input(Array(text.utf8))))
    }

    /// Sends a new window size.
    public func resize(rows: UInt32, columns: UInt32) {
        input.yield(V1AttachTerminalRequest(kind: .windowSize(.init(rows: rows, columns: columns))))
    }

    /// Waits until the output holds `text`.
    ///
    /// - Throws: ``TestFailure`` with the output's end when it does not within `timeout`.
    public func waitForOutput(containing text: String, timeout: Duration = .seconds(30)) async throws {
        let found = try await eventually(timeout: timeout, interval: .milliseconds(20)) {
            output.contains(text)
        }
        guard found else {
            throw TestFailure(
                "the terminal did not print '\(text)' within \(timeout) (stream end: \(String(describing: end))); "
                    + "its last output: \(output.suffix(300).debugDescription)")
        }
    }

    /// Waits until the stream ends.
    ///
    /// - Throws: ``TestFailure`` when it is still open after `timeout`.
    public func waitForEnd(timeout: Duration = .seconds(30)) async throws -> End {
        _ = try await eventually(timeout: timeout, interval: .milliseconds(20)) { end != nil }
        guard let end else { throw TestFailure("the attachment did not end within \(timeout)") }
        return end
    }

    /// Detaches: ends the requests, which ends the call.
    public func close() async {
        input.finish()
        await call.value
    }
}
