import Foundation
import SessionSDK
import SlurmBackend
import Testing

extension SlurmClusterTests {
    /// Session code is not trusted: what a hostile job's command can reach on the real
    /// cluster's node.
    @Suite("Slurm backend: a hostile session's command, on the real cluster")
    struct SlurmSandboxTests {
        @Test("finds nothing of the backend or another session, sees and signals only its own processes; set-up overrides change nothing")
        func sandboxHoldsAgainstAProbe() async throws {
            try await SlurmFixture.run { fixture in
                let provider = fixture.provider
                var victim = SlurmFixture.request(SessionID(rawValue: "victim"))
                victim.command = ["/bin/sh", "-c", "echo victim > /workspace/victim-marker.txt; exec /usr/bin/python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"]
                victim.environment = ["VICTIM_SECRET": "VICTIM_VALUE_51c2"]
                let victimHandle = try await SlurmFaultTests.retryWhileUnavailable { try await provider.createSession(victim) }.handle
                _ = try await SlurmFaultTests.waitFor(provider, victimHandle) { $0.state == .running }

                var probe = SlurmFixture.request(SessionID(rawValue: "probe"))
                // Searches everything it can see (the shared directory holds every session's
                // record, environment file and connection), reads every environment it can,
                // signals every process it may; then fails so that its log is the reason.
                probe.command = ["/bin/sh", "-c", """
                    found=$(find / \\( -path /proc -o -path /sys \\) -prune -o \\( -name session.json -o -path '*/sessions/*/environment' \\
                      -o -name 'connection-*.json' -o -name victim-marker.txt -o -path '*sessiongw-slurm*' -o -name munge.key \\) -print 2>/dev/null \\
                      | head -n 5 | tr '\\n' '|')
                    echo "found:[$found]"
                    echo "environments:$(cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c VICTIM_VALUE_51c2)"
                    echo "processes:$(ls -d /proc/[0-9]* | wc -l)"
                    echo "uid:$(id -u) path:$PATH dir:$dir job:$job"
                    kill -KILL -1 2>/dev/null
                    exit 3
                    """]
                // Overrides of the batch script's own variables: they reach only the command.
                probe.environment = ["PATH": "/workspace/evil:/usr/bin:/bin", "dir": "/tmp/evil", "job": "evil"]
                let probeHandle = try await SlurmFaultTests.retryWhileUnavailable { try await provider.createSession(probe) }.handle
                let failed = try await SlurmFaultTests.waitFor(provider, probeHandle) { $0.state == .failed }
                let reason = failed.reason
                #expect(reason.contains("exited with code 3"), "\(reason)")
                #expect(reason.contains("found:[]"), "\(reason)")
                #expect(reason.contains("environments:0"), "\(reason)")
                let processes = try #require(reason.firstRange(of: /processes:(\d+)/).flatMap { Int(reason[$0].dropFirst(10)) }, "\(reason)")
                #expect(processes <= 5, "the probe sees \(processes) processes: \(reason)")
                #expect(reason.contains("uid:1000 path:/workspace/evil:/usr/bin:/bin dir:/tmp/evil job:evil"), "\(reason)")

                // The victim still runs and serves, as the unprivileged sandbox user.
                let status = try await provider.describeSession(victimHandle)
                #expect(status.state == .running, "\(status.reason)")
                let marker = try String(contentsOfFile: "\(fixture.directory)/sessions/victim/home/victim-marker.txt", encoding: .utf8)
                #expect(marker == "victim\n")
                var owner = stat()
                #expect(lstat("\(fixture.directory)/sessions/victim/home/victim-marker.txt", &owner) == 0)
                #expect(owner.st_uid == fixture.configuration.sandboxUserID)
            }
        }

        @Test(
            "no process of a session outlives its job: not after delete, not after the readiness timeout cancels it",
            arguments: [true, false])
        func noProcessOutlivesItsJob(serves: Bool) async throws {
            try await SlurmFixture.run(configure: { $0.readinessTimeout = .seconds(4) }) { fixture in
                let id = SessionID(rawValue: "outlive-\(UInt32.random(in: .min ... .max))")
                var request = SlurmFixture.request(id)
                // A background child and a foreground sleep, as an IDE with a kernel has.
                request.command = ["/bin/sh", "-c", serves
                    ? "/usr/bin/python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1 & exec sleep 600"
                    : "sleep 600 & exec sleep 600"]
                let created = try await SlurmFaultTests.retryWhileUnavailable { try await fixture.provider.createSession(request) }
                // The probe sees the command's processes once the job runs (before the
                // readiness timeout, which a describe notices, cancels it).
                let started = ContinuousClock.now + .seconds(30)
                while Self.processes(of: id).count < 2, ContinuousClock.now < started {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(Self.processes(of: id).count >= 2, "the session's processes were not found while it ran")
                let expected: SessionState = serves ? .running : .failed
                let reached = try await SlurmFaultTests.waitFor(fixture.provider, created.handle) { $0.state == expected }
                if serves { try await fixture.provider.deleteSession(created.handle) }
                #expect(reached.state == expected)
                let deadline = ContinuousClock.now + .seconds(20)
                while !Self.processes(of: id).isEmpty, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(Self.processes(of: id) == [], "processes of session '\(id)' outlived its job")
            }
        }

        /// The processes on this machine whose environment says they run for session `id`.
        static func processes(of id: SessionID) -> [Int32] {
            let marker = Array("SESSION_ID=\(id.rawValue)".utf8)
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { Int32($0) }.filter { pid in
                guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
                return environ.split(separator: 0).contains { Array($0) == marker }
            }.sorted()
        }

        @Test("a file:// link outside the environment's allowed roots is refused, and nothing is submitted")
        func fileLinkOutsideRootsRefused() async throws {
            try await SlurmFixture.run { fixture in
                var request = SlurmFixture.request(SessionID(rawValue: "file-link"))
                request.dataLinks = [
                    DataLinkMount(
                        dataLink: DataLink(id: "dl-etc", workspace: .default, name: "etc", location: DataLinkLocation(scheme: .file, bucket: "", prefix: "etc")),
                        mountPath: DataLinkRules.mountPath(forName: "etc"), readOnly: true)
                ]
                do {
                    _ = try await fixture.provider.createSession(request)
                    Issue.record("a file:// link to /etc was accepted")
                } catch let error as SessionError {
                    #expect(error.code == .permissionDenied, "\(error)")
                    #expect(error.message.contains("fileLinkRoots"), "\(error.message)")
                }
                #expect(try await fixture.provider.listSessions().isEmpty)
            }
        }
    }
}
