internal import GRDB
public import SessionSDK

/// What the session API shows beside a stored session: what it cost, its latest
/// utilization sample, its idle marks and its data-links.
public struct SessionReadings: Sendable {
    /// What it has cost and costs now.
    public var cost: SessionCost
    /// The latest utilization sample; nil before the first.
    public var utilization: UtilizationSample?
    /// When each idle signal was last active, for a running session the gateway has looked at.
    public var idleMarks: [IdleSignal: Double]?
    /// Its data-links that still exist.
    public var dataLinks: [DataLink]
}

extension SessionStore {
    /// The readings of `sessions`, in their order, all read in one transaction: a page
    /// of `ListSessions` costs one trip to the store, not one per session and reading.
    /// Data-links deleted since a session was stored are left out.
    public func readings(of sessions: [Session], now: Double = SessionStore.now()) async throws(SessionError) -> [SessionReadings] {
        guard !sessions.isEmpty else { return [] }
        return try await read { db in
            let costs = try Self.costs(of: sessions.map(\.id), now: now, in: db)
            return try sessions.map { session in
                SessionReadings(
                    cost: costs[session.id] ?? .none,
                    utilization: try Self.latestUtilization(of: session.id, in: db),
                    idleMarks: session.state == .running ? try Self.idleMarks(of: session.id, in: db) : nil,
                    dataLinks: try Self.dataLinks(ids: session.spec.dataLinks, workspace: session.workspace, skippingMissing: true, in: db))
            }
        }
    }
}
