import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// Session code is not trusted: what a hostile session's command can reach on the
/// embedded default (Local backend) through the gateway as operators run it.
@Suite("Tenancy: a hostile session's command", .timeLimit(.minutes(2)))
struct HostileSessionTests {
    /// The gateway's own files a session must not read.
    static let gatewayFiles = ["admin-token", "link-ticket.key", "sessiongw.sqlite"]

    @Test("cannot read the gateway's data directory: the administrator token, the link-ticket key, the store")
    func cannotReadTheGatewaysFiles() async throws {
        try await RunningGateway.run(configure: { configuration in
            let data = configuration.dataDirectory
            var probe = configuration.presets[0]
            probe.id = "probe"
            // Reports what it can read and list, then fails so that its log is the reason.
            probe.command = ["sh", "-c", """
                for name in \(Self.gatewayFiles.joined(separator: " ")); do
                  if cat "\(data)/$name" > /dev/null 2>&1; then echo "READABLE $name"; else echo "hidden $name"; fi
                done
                echo "listing:$(ls -A '\(data)' 2>/dev/null | tr '\\n' '|')"
                exit 3
                """]
            configuration.presets.append(probe)
        }) { gateway in
            let data = gateway.directory + "/data"
            // The files are there on the host, so the probe would find them if it could.
            for name in Self.gatewayFiles {
                #expect(FileManager.default.isReadableFile(atPath: data + "/" + name), "\(name) is missing on the host")
            }
            let admin = RunningGateway.metadata(gateway.adminToken)
            let id = try await gateway.client.unary(
                SessionServiceMethods.createSession,
                request: V1CreateSessionRequest(
                    name: "probe", spec: V1SessionSpec(preset: "probe", image: "python3", computeEnvironment: "local")),
                metadata: admin, responseType: V1Session.self
            ).message.id
            try await gateway.waitFor(.failed, id, metadata: admin)
            let reason = try await gateway.client.unary(
                SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: admin,
                responseType: V1Session.self
            ).message.stateReason
            for name in Self.gatewayFiles {
                #expect(reason.contains("hidden \(name)"), "\(reason)")
                #expect(!reason.contains("READABLE \(name)"), "\(reason)")
            }
            #expect(reason.contains("listing:"), "\(reason)")
            for name in Self.gatewayFiles { #expect(!reason.contains("\(name)|"), "\(reason)") }
        }
    }
}
