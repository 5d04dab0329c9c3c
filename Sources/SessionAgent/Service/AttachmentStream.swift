internal import RPCTransport
internal import SessionAPI
internal import SessionSDK
import Foundation
import Glibc

/// The two halves of an `AttachTerminal` call: the terminal's events to the client,
/// and the client's input, window sizes and signals to the terminal.
enum AttachmentStream {
    /// What a client is told when its stream ends because it fell behind the output.
    static let fellBehind = "the client fell behind the terminal's output; attach again to get the scrollback"

    /// Writes the attachment's events until they end; a stream that ends without a
    /// reason (the client fell behind) gets one.
    static func send(
        _ attachment: TerminalHost.Attachment, to writer: ServerResponseWriter<AgentV1AttachTerminalResponse>,
        terminals: TerminalHost
    ) async throws {
        for await event in attachment.events {
            switch event {
            case .output(let bytes):
                try await writer.write(AgentV1AttachTerminalResponse(kind: .output(bytes)))
            case .detached(let reason):
                try await writer.write(AgentV1AttachTerminalResponse(kind: .detached(.init(reason: reason))))
                return
            case .exited:
                let info = terminals.list().first { $0.name == attachment.name }
                try await writer.write(AgentV1AttachTerminalResponse(kind: .exited(info.map(AgentV1Terminal.init) ?? .init())))
                return
            }
        }
        guard !Task.isCancelled else { return }
        try await writer.write(AgentV1AttachTerminalResponse(kind: .detached(.init(reason: fellBehind))))
    }

    /// Applies what the client sends until it stops sending.
    static func receive(
        _ incoming: inout ServerRequestStream<AgentV1AttachTerminalRequest>.AsyncIterator,
        for attachment: TerminalHost.Attachment, terminals: TerminalHost
    ) async throws {
        while let request = try await incoming.next() {
            switch request.kind {
            case .input(let bytes):
                terminals.input(attachment, bytes)
            case .windowSize(let size):
                terminals.resize(attachment, PseudoTerminalSize(size))
            case .signal(let signal):
                guard let number = signal.number else {
                    throw RPCError(.invalidArgument, "signal must be one of INTERRUPT, TERMINATE, HANGUP, KILL, QUIT")
                }
                terminals.signal(attachment, number)
            case .open:
                throw RPCError(.invalidArgument, "`open` may only be the first message of AttachTerminal")
            case nil:
                throw RPCError(.invalidArgument, "a message of AttachTerminal must set one of its kinds")
            }
        }
    }
}

extension PseudoTerminalSize {
    /// The size of a message; values past 65,535 are clamped.
    init(_ message: AgentV1WindowSize) {
        self.init(rows: UInt16(clamping: message.rows), columns: UInt16(clamping: message.columns))
    }
}

extension AgentV1TerminalSignal {
    /// The signal's number; nil for UNSPECIFIED and values this version does not know.
    var number: Int32? {
        switch self {
        case .interrupt: SIGINT
        case .terminate: SIGTERM
        case .hangup: SIGHUP
        case .kill: SIGKILL
        case .quit: SIGQUIT
        case .unspecified, .unrecognized: nil
        }
    }
}

extension AgentV1Terminal {
    /// The message of a terminal.
    init(_ info: TerminalHost.TerminalInfo) {
        self.init(
            name: info.name, command: info.command, workingDirectory: info.directory,
            createTime: ProtobufTimestamp(secondsSince1970: info.createdAt.timeIntervalSince1970),
            lastAttachTime: info.lastAttachedAt.map { ProtobufTimestamp(secondsSince1970: $0.timeIntervalSince1970) },
            attached: info.attached, running: info.exit == nil)
        if let code = info.exit?.code {
            exit = .exitCode(code)
        } else if let signal = info.exit?.signal {
            exit = .exitSignal(signal)
        }
    }
}

extension AgentV1Activity {
    /// The message of an activity.
    init(_ activity: SessionActivity) {
        let kind: AgentV1ActivityKind = switch activity.kind {
        case .terminal: .terminal
        case .notebookKernel: .notebookKernel
        case .jupyterTerminal: .jupyterTerminal
        }
        self.init(
            kind: kind, id: activity.id, name: activity.name,
            startTime: activity.startedAt.map { ProtobufTimestamp(secondsSince1970: $0.timeIntervalSince1970) },
            lastActivityTime: activity.lastActivityAt.map { ProtobufTimestamp(secondsSince1970: $0.timeIntervalSince1970) },
            state: activity.state)
    }
}
