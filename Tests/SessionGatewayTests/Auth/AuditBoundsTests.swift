import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// A caller with a valid token but no right to act cannot grow the store with what it
/// sends: audit entries keep a bounded target, and refused calls are rate-limited.
@Suite("Access: the audit trail is bounded", .timeLimit(.minutes(2)))
struct AuditBoundsTests {
    /// The bytes of every file in `directory`, recursively.
    static func size(of directory: String) throws -> Int {
        let manager = FileManager.default
        var total = 0
        for case let path as String in manager.enumerator(atPath: directory) ?? NSEnumerator() {
            let attributes = try manager.attributesOfItem(atPath: directory + "/" + path)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
        }
        return total
    }

    @Test("ten refused calls carrying 1 MiB each grow the data directory by less than 100 KiB")
    func refusedCallsDoNotGrowTheStore() async throws {
        try await RunningGateway.run { gateway in
            let outsider = RunningGateway.metadata(try await gateway.token(for: "outsider"))
            let dataDirectory = gateway.directory + "/data"
            let huge = String(repeating: "n", count: 1 << 20)
            // One refused call first, so the store's files exist at their working size.
            _ = await RunningGateway.refusal {
                _ = try await gateway.client.unary(
                    SessionServiceMethods.createSession, request: V1CreateSessionRequest(name: "x"), metadata: outsider)
            }
            let before = try Self.size(of: dataDirectory)
            for _ in 0..<10 {
                let refusal = await RunningGateway.refusal {
                    _ = try await gateway.client.unary(
                        SessionServiceMethods.createSession,
                        request: V1CreateSessionRequest(name: huge, spec: V1SessionSpec(preset: huge)),
                        metadata: outsider)
                }
                #expect(refusal?.code == .notFound)
            }
            let growth = try Self.size(of: dataDirectory) - before
            #expect(growth < 100 << 10, "the data directory grew by \(growth) bytes")

            let trail = try await gateway.gateway.store.auditEntries()
            #expect(trail.allSatisfy { $0.target.utf8.count < 400 })
            #expect(trail.contains { $0.target.hasSuffix("…(1048576 bytes)") })
        }
    }

    @Test("refused calls past a caller's allowance are counted, not recorded; other callers are unaffected")
    func refusalsAreRateLimitedPerCaller() {
        let limiter = AuditLimiter(burst: 3, window: 60, maxCallers: 2)
        let first: [AuditLimiter.Decision] = (0..<5).map { _ in limiter.admit("mallory", now: 1_000) }
        let recorded = AuditLimiter.Decision.record(suppressedBefore: 0)
        #expect(first == [recorded, recorded, recorded, .drop, .drop])
        #expect(limiter.admit("alice", now: 1_001) == .record(suppressedBefore: 0))
        // A new window lets the caller in again, and says how many were left out.
        #expect(limiter.admit("mallory", now: 1_061) == .record(suppressedBefore: 2))
        // Tracking many callers forgets those whose window has passed.
        #expect(limiter.admit("bob", now: 1_200) == .record(suppressedBefore: 0))
        #expect(limiter.admit("carl", now: 1_200) == .record(suppressedBefore: 0))
    }
}
