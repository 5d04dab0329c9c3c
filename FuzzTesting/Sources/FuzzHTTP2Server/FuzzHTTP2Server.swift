import Logging
import Metrics
import NIOCore
import NIOEmbedded
import RPCInterop
@testable import RPCTransport

/// Feeds arbitrary bytes, after the HTTP/2 client preface, to a server connection as
/// if a peer had sent them, and pumps its output. Any crash, sanitizer report or leak
/// is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP2Server(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let channel = EmbeddedChannel()
    var router = RPCRouter()
    TestService().registerMethods(with: &router)
    HealthService().registerMethods(with: &router)
    let calls = ServerCallQueue()
    var configuration = RPCServer.Configuration(listeners: [])
    configuration.maxReceiveMessageSize = 64 * 1024
    let handler = ServerConnectionHandler(
        configuration: configuration, router: router, metrics: ServerMetrics(factory: NOOPMetricsHandler.instance),
        logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }), calls: calls)
    do {
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        var input = channel.allocator.buffer(capacity: size + 24)
        input.writeString("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        input.writeBytes(UnsafeRawBufferPointer(start: data, count: size))
        try channel.writeInbound(input)
        channel.embeddedEventLoop.run()
        while let _ = try channel.readOutbound(as: ByteBuffer.self) {}
    } catch {
        // Errors the handler raises close the channel; that is an expected outcome.
    }
    // Calls that were accepted are failed when the connection closes.
    _ = try? channel.finish(acceptAlreadyClosed: true)
    channel.embeddedEventLoop.run()
    calls.finish()
    return 0
}
