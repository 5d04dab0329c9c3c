import Foundation
import RPCInterop
import RPCTransport
import Testing

@Suite(.timeLimit(.minutes(1)))
struct RPCClientTests {
    private let echo = ProbeService.method("Echo")

    @Test func metadataRoundTripsIncludingBinaryValues() async throws {
        try await withTestServer(services: [ProbeService()]) { client, _ in
            var metadata: Metadata = ["x-plain": "value with spaces"]
            metadata.add("x-trace-bin", .binary([0, 1, 2, 0xFF, 0xFE]))
            metadata.add("x-trace-bin", .binary([]))
            let response: ClientResponse<EchoMessage> = try await client.unary(
                echo, request: EchoMessage(payload: [9]), metadata: metadata)
            for received in [response.initialMetadata, response.trailingMetadata] {
                #expect(received[string: "x-plain"] == "value with spaces")
                #expect(received[values: "x-trace-bin"] == [.binary([0, 1, 2, 0xFF, 0xFE]), .binary([])])
            }
        }
    }

    @Test func unixDomainSocketListener() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rpc-\(UUID().uuidString).sock").path
        try await withTestServer(services: [ProbeService()], listener: .unixDomainSocket(path: path)) { client, _ in
            #expect(client.target == .unixDomainSocket(path: path))
            let response: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage(payload: [1, 2]))
            #expect(response.message.payload == [1, 2])
        }
    }

    @Test func tlsListenerWithALPN() async throws {
        let certificates = try TestCertificates.make()
        let listener = RPCServer.Listener.tls(
            host: "127.0.0.1", port: 0,
            tls: .init(certificateChainPath: certificates.certificatePath, privateKeyPath: certificates.keyPath))
        let clientTLS = RPCClient.TLSConfiguration(trustRootsPath: certificates.caPath, serverHostnameOverride: "localhost")
        try await withTestServer(services: [ProbeService()], listener: listener, clientTLS: clientTLS) { client, _ in
            let response: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage(payload: [3]))
            #expect(response.message.payload == [3])
        }
    }

    @Test func tlsClientRefusesAnUntrustedServer() async throws {
        let certificates = try TestCertificates.make()
        let listener = RPCServer.Listener.tls(
            host: "127.0.0.1", port: 0,
            tls: .init(certificateChainPath: certificates.certificatePath, privateKeyPath: certificates.keyPath))
        let untrusting = RPCClient.TLSConfiguration(serverHostnameOverride: "localhost")
        try await withTestServer(services: [ProbeService()], listener: listener, clientTLS: untrusting) { client, _ in
            let error = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage())
            }
            #expect(error?.code == .unavailable)
        }
    }

    @Test("a renewed certificate is served to new connections without a restart")
    func tlsCertificateReload() async throws {
        let first = try TestCertificates.make()
        let second = try TestCertificates.make()
        defer {
            try? FileManager.default.removeItem(atPath: first.directory)
            try? FileManager.default.removeItem(atPath: second.directory)
        }
        let listener = RPCServer.Listener.tls(
            host: "127.0.0.1", port: 0,
            tls: .init(certificateChainPath: first.certificatePath, privateKeyPath: first.keyPath))
        let trustsFirst = RPCClient.TLSConfiguration(trustRootsPath: first.caPath, serverHostnameOverride: "localhost")
        try await withTestServer(services: [ProbeService()], listener: listener, clientTLS: trustsFirst) { client, server in
            let _: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage(payload: [1]))
            // Renew: the second CA's certificate and key replace the files in place.
            for (from, to) in [(second.certificatePath, first.certificatePath), (second.keyPath, first.keyPath)] {
                try FileManager.default.removeItem(atPath: to)
                try FileManager.default.copyItem(atPath: from, toPath: to)
            }
            try await Task.sleep(for: .milliseconds(1100))
            let address = try await server.listeningAddresses()[0]
            let trustsSecond = RPCClient(target: RPCClient.Target(
                address: address, tls: .init(trustRootsPath: second.caPath, serverHostnameOverride: "localhost"))!)
            let stillFirst = RPCClient(target: RPCClient.Target(address: address, tls: trustsFirst)!)
            let renewed: ClientResponse<EchoMessage> = try await trustsSecond.unary(echo, request: EchoMessage(payload: [2]))
            #expect(renewed.message.payload == [2])
            let error = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await stillFirst.unary(echo, request: EchoMessage())
            }
            #expect(error?.code == .unavailable)
            await trustsSecond.close()
            await stillFirst.close()
        }
    }

    @Test func unreachableServerIsUnavailable() async throws {
        let client = RPCClient(target: .tcp(host: "127.0.0.1", port: 1))
        let error = await #expect(throws: RPCError.self) {
            let _: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage())
        }
        #expect(error?.code == .unavailable)
        await client.close()
    }

    @Test func theClientReconnectsAfterTheServerGoesAway() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rpc-\(UUID().uuidString).sock").path
        let client = RPCClient(target: .unixDomainSocket(path: path))
        for round in 0..<2 {
            try await withTestServer(services: [ProbeService()], listener: .unixDomainSocket(path: path)) { _, _ in
                let response: ClientResponse<EchoMessage> = try await client.unary(
                    echo, request: EchoMessage(payload: [UInt8(round)]))
                #expect(response.message.payload == [UInt8(round)])
            }
        }
        await client.close()
    }

    @Test(arguments: [
        ("127.0.0.1:50051", RPCClient.Target.tcp(host: "127.0.0.1", port: 50051)),
        ("h2c://localhost:1", .tcp(host: "localhost", port: 1)),
        ("https://example.org:443", .tls(host: "example.org", port: 443, tls: .init())),
        ("[::1]:8080", .tcp(host: "::1", port: 8080)),
        ("unix:/run/gw.sock", .unixDomainSocket(path: "/run/gw.sock")),
    ])
    func targetsParse(address: String, expected: RPCClient.Target) {
        #expect(RPCClient.Target(address: address) == expected)
    }

    @Test(arguments: ["", "localhost", "host:port", "host:70000", ":80"])
    func invalidTargetsAreRefused(address: String) {
        #expect(RPCClient.Target(address: address) == nil)
    }
}
