import Dispatch
import Foundation
import Glibc
import RPCTransport
import SessionAPI

/// `sessiongw terminal attach`: the local terminal joined to a session's terminal
/// through the gateway. Keys go up as typed (the local terminal in raw mode when it is
/// one), output comes down to standard output, window changes (SIGWINCH) go up as new
/// sizes. It ends when the detach keys are typed, another client takes the terminal,
/// the terminal's command exits, or SIGTERM or SIGHUP arrive; the local terminal's
/// settings are restored on each of these ways out and on errors.
struct TerminalAttacher {
    /// How an attachment ended.
    enum Outcome: Equatable {
        /// The detach keys were typed.
        case detachedByKeys
        /// The gateway ended it, saying why (another client attached, the terminal
        /// was deleted, the session stopped).
        case detached(String)
        /// The terminal's command ended.
        case exited(V1Terminal)
        /// SIGTERM or SIGHUP.
        case signalled(Int32)
        /// The gateway ended the stream without a word.
        case ended
    }

    /// What the local side feeds the call: typed bytes (nil at end of input), window
    /// sizes and signals.
    private enum LocalEvent: Sendable {
        case typed([UInt8]?)
        case resized(UInt32, UInt32)
        case signal(Int32)
    }

    let gateway: GatewayClient
    let sessionID: String
    let name: String
    let detachKeys: DetachKeys

    /// Attaches until one of the ends above.
    ///
    /// - Throws: the call's `RPCError` (an unknown terminal, a session not running).
    func run() async throws -> Outcome {
        let raw = RawTerminalMode.enter(STDIN_FILENO)
        defer { raw?.restore() }
        let (events, feed) = AsyncStream.makeStream(of: LocalEvent.self)
        let sources = Self.watchSignals(feed)
        defer { sources.forEach { $0.cancel() } }
        Self.readInput(into: feed)
        let size = RawTerminalMode.windowSize(of: STDIN_FILENO) ?? RawTerminalMode.windowSize(of: STDOUT_FILENO)
        let open = V1AttachTerminalRequest.Open(
            workspace: gateway.workspace, sessionID: sessionID, name: name,
            windowSize: size.map { V1WindowSize(rows: $0.rows, columns: $0.columns) })
        let keys = detachKeys
        return try await gateway.terminals.attachTerminal { requests, responses in
            try await requests.write(V1AttachTerminalRequest(kind: .open(open)))
            return try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    var matcher = DetachKeys.Matcher(keys)
                    for await event in events {
                        switch event {
                        case .typed(let bytes?):
                            let (forward, detach) = matcher.feed(bytes)
                            if !forward.isEmpty { try await requests.write(V1AttachTerminalRequest(kind: .input(forward))) }
                            if detach { return .detachedByKeys }
                        case .typed(nil):
                            continue  // the end of piped input: keep showing output
                        case .resized(let rows, let columns):
                            try await requests.write(V1AttachTerminalRequest(kind: .windowSize(.init(rows: rows, columns: columns))))
                        case .signal(let number):
                            return .signalled(number)
                        }
                    }
                    return nil
                }
                group.addTask {
                    for try await response in responses {
                        switch response.kind {
                        case .output(let bytes): Self.writeAll(bytes, to: STDOUT_FILENO)
                        case .detached(let detached): return .detached(detached.reason)
                        case .exited(let terminal): return .exited(terminal)
                        case nil: continue
                        }
                    }
                    return .ended
                }
                defer { group.cancelAll() }
                while let outcome = try await group.next() {
                    if let outcome { return outcome }
                }
                return .ended
            }
        }
    }

    /// SIGWINCH as new sizes, SIGTERM and SIGHUP as the end, fed to `feed`.
    private static func watchSignals(_ feed: AsyncStream<LocalEvent>.Continuation) -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGWINCH, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if number == SIGWINCH {
                    if let size = RawTerminalMode.windowSize(of: STDIN_FILENO) { feed.yield(.resized(size.rows, size.columns)) }
                } else {
                    feed.yield(.signal(number))
                }
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }

    /// Reads standard input on a thread of its own (a blocking read the process's exit
    /// ends), feeding what is typed, then nil at its end.
    private static func readInput(into feed: AsyncStream<LocalEvent>.Continuation) {
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                feed.yield(.typed(Array(buffer[0..<count])))
            }
            feed.yield(.typed(nil))
        }
        thread.start()
    }

    /// Writes all of `bytes` to `descriptor`.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
