import SessionSDK
import Synchronization
import Testing

@Suite("Delegating providers")
struct DelegatingSessionProviderTests {
    /// A base that answers every requirement, recording which.
    private final class Base: SessionProvider {
        let calls = Mutex<[String]>([])
        let identity = ProviderIdentity(name: "base", version: "1.0.0")
        let capabilities: Set<ProviderCapability> = [.environmentBuilds, .growingHome, .execute]
        private func status(_ call: String) -> ProviderSessionStatus {
            calls.withLock { $0.append(call) }
            return ProviderSessionStatus(sessionID: SessionID(rawValue: "s"), handle: SessionHandle(rawValue: "h"), state: .running)
        }
        func probe() async throws -> ProviderReadiness { ProviderReadiness(ready: true, message: "base") }
        func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus { status("create") }
        func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { status("pause") }
        func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
            status("resume")
        }
        func deleteSession(_ handle: SessionHandle) async throws { _ = status("delete") }
        func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { status("describe") }
        func listSessions() async throws -> [ProviderSessionStatus] { [status("list")] }
        func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
            _ = status("execute")
            return ExecutionResult(exitCode: 0, output: "", errorOutput: "")
        }
        func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] { _ = status("buildLog"); return ["line"] }
        func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 { _ = status("resizeHome"); return size }
    }

    /// Changes one requirement, as a platform team's wrapper does.
    private struct Renaming: DelegatingSessionProvider {
        let base: any SessionProvider
        var identity: ProviderIdentity { ProviderIdentity(name: "renamed", version: "1.0.0") }
    }

    @Test("what a wrapper does not implement reaches its base, capabilities and the requirements added later included")
    func passesOn() async throws {
        let base = Base()
        let wrapper = Renaming(base: base)
        let handle = SessionHandle(rawValue: "h")
        #expect(wrapper.identity.name == "renamed")
        #expect(wrapper.capabilities == base.capabilities)
        #expect(try await wrapper.probe().message == "base")
        #expect(try await wrapper.buildLog(handle, from: 0) == ["line"], "not the UNIMPLEMENTED default")
        #expect(try await wrapper.resizeHome(handle, toBytes: 42) == 42)
        _ = try await wrapper.execute(["true"], in: handle)
        _ = try await wrapper.describeSession(handle)
        try await wrapper.deleteSession(handle)
        #expect(base.calls.withLock { $0 } == ["buildLog", "resizeHome", "execute", "describe", "delete"])
    }
}
