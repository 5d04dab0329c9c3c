@testable import KubernetesBackend
import Foundation
import SessionSDK
import Testing

extension KubernetesEmulatorTests {
    /// Custom environments on the emulator: a build Job in the session's image writes
    /// the environment into its directory of the cache claim; the session waits at zero
    /// replicas (BUILDING), then runs with it read-only; a second session of the same
    /// packages finds the Complete Job and builds nothing; a missing package fails the
    /// Job and the session is BUILD_FAILED naming it. The emulator's pods have no
    /// network, so the index is a wheelhouse on the node (`environmentBuildEnv.*`, as an
    /// operator would name a mirror); the Local backend's test builds from PyPI.
    @Suite("Kubernetes custom environments, on the API emulator")
    struct Environments {
        @Test("build Job, cache, failure, read-only environment, and every object valid")
        func builds() async throws {
            let kube = try await KubeFixture.start("envs")
            let wheelhouse = try Self.wheelhouse()
            defer { try? FileManager.default.removeItem(atPath: wheelhouse) }
            _ = try await kube.client.create(
                .persistentVolumeClaims, namespace: kube.namespace,
                [
                    "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "env-cache"],
                    "spec": ["accessModes": ["ReadWriteMany"], "resources": ["requests": ["storage": "5Gi"]]],
                ],
                what: "creating the cache claim")
            var configuration = kube.configuration()
            configuration.environmentCacheClaim = "env-cache"
            configuration.environmentBuildVariables = ["PIP_NO_INDEX": "1", "PIP_FIND_LINKS": wheelhouse]
            let provider = try kube.provider(configuration)
            #expect(provider.capabilities.contains(.environmentBuilds))
            #expect(!(try kube.provider()).capabilities.contains(.environmentBuilds), "only with a cache claim")

            var first = KubeFixture.request(SessionID(rawValue: "env-first-\(KubeFixture.tag())"))
            first.packages = ["sgwtestpkg==1.0"]
            let created = try await provider.createSession(first)
            #expect(created.state == .building, "\(created.reason)")
            let running = try await KubeFixture.wait(provider, created.handle, timeout: .seconds(90)) {
                $0.state == .running || $0.state == .failed || $0.state == .buildFailed
            }
            try #require(running.state == .running, "\(running.reason)")
            let log = try await provider.buildLog(created.handle, from: 0)
            #expect(log.first == "building a Python environment with sgwtestpkg==1.0")
            #expect(log.contains("Successfully installed sgwtestpkg-1.0"), "\(log)")
            #expect(try await provider.buildLog(created.handle, from: log.count).isEmpty)
            let imported = try await provider.execute(["python3", "-c", "import sgwtestpkg; print(sgwtestpkg.GREETING)"], in: created.handle)
            #expect(imported.output == "hello from the environment\n", "\(imported)")
            let write = try await provider.execute(["sh", "-c", "touch /srv/environment/bin/intruder"], in: created.handle)
            #expect(write.exitCode != 0, "the shared environment is read-only in sessions")

            // The same packages again: the Complete Job is the cache.
            var second = KubeFixture.request(SessionID(rawValue: "env-second-\(KubeFixture.tag())"))
            second.packages = ["sgwtestpkg==1.0"]
            let again = try await provider.createSession(second)
            #expect(again.state != .building, "\(again.reason)")
            #expect(try await KubeFixture.wait(provider, again.handle, timeout: .seconds(60)) { $0.state == .running }.state == .running)
            let jobs = try await kube.client.list(.jobs, namespace: kube.namespace, what: "listing jobs").items
            #expect(jobs.count == 1, "no second build")

            // A package that does not exist.
            var failing = KubeFixture.request(SessionID(rawValue: "env-failing-\(KubeFixture.tag())"))
            failing.packages = ["sgw-no-such-package"]
            let broken = try await provider.createSession(failing)
            let failed = try await KubeFixture.wait(provider, broken.handle, timeout: .seconds(90)) { $0.state == .buildFailed }
            #expect(failed.state == .buildFailed)
            #expect(failed.reason.hasPrefix("the environment could not be built: package 'sgw-no-such-package' was not found"), "\(failed.reason)")
            #expect(try await provider.buildLog(broken.handle, from: 0).contains { $0.contains("No matching distribution found for sgw-no-such-package") })
            #expect(try await provider.listSessions().first { $0.sessionID == failing.sessionID }?.state == .buildFailed)

            let invalid = try await kube.validations().filter { $0["valid"].bool != true }
            #expect(invalid.isEmpty, "\(invalid)")
            #expect(try await kube.validations().contains { $0["kind"].string == "Job" })
            for handle in [created.handle, again.handle, broken.handle] { try await provider.deleteSession(handle) }
            await kube.finish()
        }

        /// A new directory holding a one-module wheel, `sgwtestpkg-1.0`, made with Python's
        /// zipfile; under /var/tmp, since build pods have a /tmp of their own.
        static func wheelhouse() throws -> String {
            let directory = "/var/tmp/sessiongw-wheelhouse-\(KubeFixture.tag())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let script = """
                import sys, zipfile
                name, version, info = "sgwtestpkg", "1.0", "sgwtestpkg-1.0.dist-info"
                files = {f"{name}/__init__.py": "GREETING = 'hello from the environment'\\n",
                         f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
                         f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: sessiongw-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
                files[f"{info}/RECORD"] = "".join(f"{path},,\\n" for path in files) + f"{info}/RECORD,,\\n"
                with zipfile.ZipFile(f"{sys.argv[1]}/{name}-{version}-py3-none-any.whl", "w") as wheel:
                    for path, text in files.items():
                        wheel.writestr(path, text)
                """
            _ = try TestTools.run(["python3", "-c", script, directory])
            return directory
        }
    }
}
