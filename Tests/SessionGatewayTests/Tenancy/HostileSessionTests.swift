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
    static let gatewayFiles = ["admin-token", "link-ticket.key", "agent-token.key", "sessiongw.sqlite"]

    @Test("cannot read the gateway's data directory: the administrator token, the link-ticket and agent-token keys, the store")
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
                metadata: admin
            ).message.id
            try await gateway.waitFor(.failed, id, metadata: admin)
            let reason = try await gateway.client.unary(
                SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: admin
            ).message.stateReason
            for name in Self.gatewayFiles {
                #expect(reason.contains("hidden \(name)"), "\(reason)")
                #expect(!reason.contains("READABLE \(name)"), "\(reason)")
            }
            #expect(reason.contains("listing:"), "\(reason)")
            for name in Self.gatewayFiles { #expect(!reason.contains("\(name)|"), "\(reason)") }
        }
    }

    @Test("finds nothing of the gateway or another session, sees and signals only its own processes, and runs unprivileged")
    func sandboxHoldsAgainstAProbe() async throws {
        try await RunningGateway.run(configure: { configuration in
            var victim = configuration.presets[0]
            victim.id = "victim"
            victim.command = ["/bin/sh", "-c", "echo victim > /workspace/victim-marker.txt; exec python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"]
            var probe = configuration.presets[0]
            probe.id = "probe"
            // Searches everything it can see, reads every environment it can, signals
            // every process it may; then fails so that its log is the reason.
            probe.command = ["/bin/sh", "-c", """
                found=$(find / \\( -path /proc -o -path /sys \\) -prune -o \\( -name admin-token -o -name link-ticket.key -o -name agent-token.key \
                  -o -name 'sessiongw.sqlite*' -o -name victim-marker.txt -o -name state.json \\) -print 2>/dev/null | head -n 5 | tr '\\n' '|')
                echo "found:[$found]"
                echo "environments:$(cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c VICTIM_VALUE_7f3a)"
                echo "processes:$(ls -d /proc/[0-9]* | wc -l)"
                echo "uid:$(id -u) path:$PATH dir:$dir job:$job"
                kill -KILL -1 2>/dev/null
                exit 3
                """]
            configuration.presets += [victim, probe]
        }) { gateway in
            let admin = RunningGateway.metadata(gateway.adminToken)
            func create(_ preset: String, env: [String: String]) async throws -> String {
                try await gateway.client.unary(
                    SessionServiceMethods.createSession,
                    request: V1CreateSessionRequest(
                        name: preset,
                        spec: V1SessionSpec(
                            preset: preset, image: "python3", computeEnvironment: "local",
                            env: env.sorted { $0.key < $1.key }.map { V1EnvVar(name: $0.key, source: .value($0.value)) })),
                    metadata: admin
                ).message.id
            }
            let victim = try await create("victim", env: ["VICTIM_SECRET": "VICTIM_VALUE_7f3a"])
            try await gateway.waitFor(.running, victim, metadata: admin)
            // Overrides of the set-up's variables that must change nothing but the command's own environment.
            let probe = try await create("probe", env: ["PATH": "/workspace/evil:/usr/bin:/bin", "dir": "/tmp/evil", "job": "evil"])
            try await gateway.waitFor(.failed, probe, metadata: admin)
            let reason = try await gateway.client.unary(
                SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: probe), metadata: admin
            ).message.stateReason
            #expect(reason.contains("found:[]"), "\(reason)")
            #expect(reason.contains("environments:0"), "\(reason)")
            let processes = try #require(reason.firstRange(of: /processes:(\d+)/).flatMap { Int(reason[$0].dropFirst(10)) }, "\(reason)")
            // bwrap's init, the session agent, the command's shell and what it runs.
            #expect(processes <= 6, "the probe sees \(processes) processes: \(reason)")
            #expect(reason.contains("uid:1000 path:/workspace/evil:/usr/bin:/bin dir:/tmp/evil job:evil"), "\(reason)")

            // The victim still runs, as the unprivileged sandbox user on the host, with no capabilities.
            let session = try await gateway.client.unary(
                SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: victim), metadata: admin
            ).message
            #expect(session.state == .running)
            let hostProcesses = HostProcesses.withEnvironment("SESSION_ID=\(victim)").compactMap(HostProcesses.status(of:))
            #expect(!hostProcesses.isEmpty)
            for status in hostProcesses {
                #expect(status.contains(/Uid:\s+65534\s+65534\s+65534\s+65534/), "\(status)")
                #expect(status.contains(/CapEff:\s+0+\n/), "\(status)")
                #expect(status.contains(/NoNewPrivs:\s+1/), "\(status)")
            }
        }
    }
}
