import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import SessionSDK

/// Runs a command in a pod through the `pods/exec` subresource: an HTTP/1.1 WebSocket
/// upgrade over TLS (NIOSSL) offering the `v5.channel.k8s.io` subprotocol, falling back
/// to `v4.channel.k8s.io` when the server chooses it. Binary messages start with a
/// channel byte: 1 standard output, 2 standard error, 3 the final `Status` (success, or
/// failure with the exit code in a `causes` entry of reason `ExitCode`).
enum ExecChannel {
    /// The subprotocols offered, preferred first.
    static let subprotocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]

    /// What the stream carried.
    struct Outcome: Sendable {
        /// Standard output.
        var output: [UInt8] = []
        /// Standard error.
        var errorOutput: [UInt8] = []
        /// The channel-3 Status, if it came.
        var status: KubeObject?
        /// The subprotocol the server chose.
        var subprotocol: String = ""
    }

    /// Why the exec stream failed.
    struct Failure: Error, CustomStringConvertible {
        /// What happened.
        var description: String
    }

    /// Runs the exec request `pathAndQuery` (the exec path with its `command=` parameters)
    /// and collects its output until the server closes the stream.
    static func run(credentials: KubeCredentials, pathAndQuery: String, timeout: Duration) async throws -> Outcome {
        let tls = try KubeClient.tlsConfiguration(credentials)
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw SessionError(.invalidArgument, "the Kubernetes TLS configuration cannot be used: \(error)")
        }
        let token = try credentials.bearerToken()
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Outcome.self)
        let serverName = Self.isIPAddress(credentials.host) ? nil : credentials.host
        let hostHeader = credentials.server.replacingOccurrences(of: "https://", with: "")
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: hostHeader)
        headers.add(name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", "))
        headers.add(name: "User-Agent", value: "sessiongw-kubernetes/1.0")
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let requestHead = HTTPRequestHead(version: .http1_1, method: .GET, uri: pathAndQuery, headers: headers)

        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                do {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 24, automaticErrorHandling: true) { channel, response in
                        let chosen = response.headers.first(name: "Sec-WebSocket-Protocol") ?? ""
                        return channel.pipeline.removeHandler(name: "sessiongw-exec-request").flatMapThrowing {
                            try channel.pipeline.syncOperations.addHandler(FrameHandler(promise: promise, subprotocol: chosen))
                        }
                    }
                    // Frames the server sends right after its 101 can arrive in the same
                    // read as the response: the decoder hands them on instead of dropping them.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try channel.pipeline.syncOperations.addHandler(
                        UpgradeRequestHandler(head: requestHead, promise: promise), name: "sessiongw-exec-request")
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let channel = try await bootstrap.connect(host: credentials.host, port: credentials.port).get()
        return try await withThrowingTaskGroup(of: Outcome?.self) { tasks in
            tasks.addTask { try await promise.futureResult.get() }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer {
                tasks.cancelAll()
                channel.close(promise: nil)
            }
            guard let outcome = try await tasks.next() ?? nil else {
                promise.fail(Failure(description: "timed out"))
                throw SessionError(.deadlineExceeded, "the command did not finish within \(timeout.components.seconds) s")
            }
            return outcome
        }
    }

    /// Whether `host` is an IPv4 or IPv6 address (TLS sends no server name for those).
    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// The exit code of a channel-3 Status: 0 for success, the `ExitCode` cause for a
    /// non-zero exit, nil for a failure that is not an exit (the command could not start).
    static func exitCode(of status: KubeObject) -> Int32? {
        if status["status"].string == "Success" { return 0 }
        for cause in status["details"]["causes"].array where cause["reason"].string == "ExitCode" {
            if let code = cause["message"].string.flatMap({ Int32($0) }) { return code }
        }
        return nil
    }

    /// Sends the upgrade request once the channel is active; fails the promise when the
    /// server answers without upgrading.
    fileprivate final class UpgradeRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart

        let head: HTTPRequestHead
        let promise: EventLoopPromise<Outcome>
        var status: HTTPResponseStatus?
        var body: [UInt8] = []

        init(head: HTTPRequestHead, promise: EventLoopPromise<Outcome>) {
            self.head = head
            self.promise = promise
        }

        func channelActive(context: ChannelHandlerContext) {
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let response): status = response.status
            case .body(var buffer): body += buffer.readBytes(length: min(buffer.readableBytes, 4096)) ?? []
            case .end:
                let error = KubeAPIError.parse(status: Int(status?.code ?? 0), body: body)
                promise.fail(error)
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(Failure(description: "the connection closed before the exec stream was upgraded"))
            context.fireChannelInactive()
        }
    }

    /// Collects the channels' bytes until the server closes the stream.
    fileprivate final class FrameHandler: ChannelInboundHandler {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame

        let promise: EventLoopPromise<Outcome>
        var outcome: Outcome

        init(promise: EventLoopPromise<Outcome>, subprotocol: String) {
            self.promise = promise
            self.outcome = Outcome(subprotocol: subprotocol)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            switch frame.opcode {
            case .binary, .text, .continuation:
                var payload = frame.unmaskedData
                guard let channel = payload.readInteger(as: UInt8.self) else { return }
                let bytes = payload.readBytes(length: payload.readableBytes) ?? []
                switch channel {
                case 1: outcome.output += bytes
                case 2: outcome.errorOutput += bytes
                case 3: outcome.status = try? KubeObject.parse(bytes)
                default: break
                }
            case .ping:
                let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            case .connectionClose:
                let close = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: context.channel.allocator.buffer(capacity: 0))
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
                promise.succeed(outcome)
            default:
                break
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if outcome.status != nil {
                promise.succeed(outcome)
            } else {
                promise.fail(Failure(description: "the exec stream closed without the command's status"))
            }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if outcome.status != nil {
                promise.succeed(outcome)
            } else {
                promise.fail(error)
            }
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ExecChannel.UpgradeRequestHandler: Sendable {}

@available(*, unavailable)
extension ExecChannel.FrameHandler: Sendable {}
