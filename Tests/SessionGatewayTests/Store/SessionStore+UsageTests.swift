import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: metered usage")
struct SessionStoreUsageTests {
    /// 3.6 an hour of compute (0.001 a second) and 0.36 an hour of storage.
    static let rates = UsageRates(currency: "USD", compute: 3.6, storage: 0.36)

    static func open(_ path: String, rates: UsageRates = rates) throws -> SessionStore {
        try SessionStore(location: .file(path), usageRates: { _ in rates }, logger: StoreFixtures.logger)
    }

    static func move(_ store: SessionStore, _ session: Session, to state: SessionState, at now: Double) async throws {
        try await store.updateSession(id: session.id, now: now) { $0.state = state }
    }

    @Test("spend is the rates times the time in each state, exact across a reopened store, and the deleted session stays in the report")
    func spendFollowsStates() async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        var store = try Self.open(path)
        let session = try await StoreFixtures.create(store, "metered", now: 1000)
        try await Self.move(store, session, to: .starting, at: 1010)
        try await Self.move(store, session, to: .running, at: 1020)
        try await Self.move(store, session, to: .pausing, at: 1100)
        try await Self.move(store, session, to: .paused, at: 1110)
        try store.close()

        // A restarted gateway: the paused session bills storage only.
        store = try Self.open(path)
        defer { try? store.close() }
        try await store.meterAllSessions(now: 1200)
        try await Self.move(store, session, to: .starting, at: 1300)
        try await Self.move(store, session, to: .unknown, at: 1350)  // still held
        try await Self.move(store, session, to: .running, at: 1360)
        let cost = try #require(try await store.costs(of: [session.id], now: 1400)[session.id])
        let held = (1110.0 - 1010) + (1400 - 1300)
        #expect(abs(cost.computeHeldSeconds - held) < 1e-9)
        #expect(abs(cost.accumulated - (3.6 * held + 0.36 * 400) / 3600) < 1e-9)
        #expect(abs(cost.hourlyRate - 3.96) < 1e-9 && cost.currency == "USD")

        try await Self.move(store, session, to: .deleting, at: 1500)
        try await store.deleteSession(id: session.id, now: 1510)
        #expect(try await store.costs(of: [session.id], now: 2000)[session.id]?.hourlyRate == 0, "nothing is billed after deletion")
        let report = try await store.usageReport(workspace: .default, start: 0, end: 3000, now: 3000)
        let line = try #require(report.sessions.first)
        #expect(report.sessions.count == 1 && line.sessionID == session.id && line.owner == "ada" && line.sessionName == "metered")
        #expect(abs(line.computeHeldSeconds - (held + 110)) < 1e-9)
        #expect(abs(line.computeSpend - 3.6 * (held + 110) / 3600) < 1e-9)
        #expect(abs(line.storageSpend - 0.36 * 510 / 3600) < 1e-9)
    }

    @Test("a report counts only the part of each interval inside its period, and its owners and totals are the sums")
    func reportPeriod() async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Self.open(directory.appendingPathComponent("store.sqlite").path)
        defer { try? store.close() }
        let ada = try await StoreFixtures.create(store, "a", owner: "ada", now: 0)
        let bob = try await StoreFixtures.create(store, "b", owner: "bob", now: 0)
        let bob2 = try await StoreFixtures.create(store, "c", owner: "bob", now: 0)
        for session in [ada, bob, bob2] { try await Self.move(store, session, to: .running, at: 100) }
        let report = try await store.usageReport(workspace: .default, start: 1000, end: 4600, now: 10_000)
        #expect(report.sessions.map(\.sessionName) == ["a", "b", "c"])
        for line in report.sessions {
            #expect(abs(line.computeSpend - 3.6) < 1e-9 && abs(line.storageSpend - 0.36) < 1e-9 && line.computeHeldSeconds == 3600)
        }
        #expect(report.owners.map(\.owner) == ["ada", "bob"])
        #expect(abs(report.owners[1].total - 2 * 3.96) < 1e-9)
        #expect(report.totals.count == 1 && abs(report.totals[0].total - 3 * 3.96) < 1e-9)
        #expect(try await store.usageReport(workspace: WorkspaceID(rawValue: "elsewhere"), start: 0, end: 10, now: 10).sessions.isEmpty)
        await expectSessionError(.invalidArgument) { _ = try await store.usageReport(workspace: .default, start: 10, end: 10) }
    }

    @Test("new prices take effect at the next start, from then on")
    func rerate() async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        var store = try Self.open(path)
        let session = try await StoreFixtures.create(store, "r", now: 0)
        try await Self.move(store, session, to: .running, at: 0)
        try store.close()
        store = try Self.open(path, rates: UsageRates(currency: "USD", compute: 7.2, storage: 0))
        defer { try? store.close() }
        try await store.meterAllSessions(now: 3600)
        let cost = try #require(try await store.costs(of: [session.id], now: 7200)[session.id])
        #expect(abs(cost.accumulated - (3.6 + 0.36 + 7.2)) < 1e-9)
        #expect(cost.hourlyRate == 7.2)
    }
}
