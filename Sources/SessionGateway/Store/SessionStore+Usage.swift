internal import GRDB
public import SessionSDK

extension SessionStore {
    /// Meters a change of a session in the change's transaction (``UsageMeter``): ends
    /// the intervals it no longer holds at `now`, and begins those it now holds at the
    /// rates ``usageRates`` gives. `session` is nil when it was deleted.
    static func meter(
        _ id: SessionID, as session: Session?, rates: UsageRates, now: Double, in db: Database
    ) throws {
        let open = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT resource, hourly_rate, currency FROM usage_intervals WHERE session_id = ? AND ended_at IS NULL"),
            arguments: [id.rawValue]
        ).compactMap { row -> UsageMeter.Holding? in
            guard let resource = UsageMeter.Resource(rawValue: row["resource"]) else { return nil }
            return UsageMeter.Holding(resource: resource, hourlyRate: row["hourly_rate"], currency: row["currency"])
        }
        let actions = UsageMeter.actions(open: open, wanted: UsageMeter.holdings(state: session?.state, rates: rates, open: open))
        for resource in actions.end {
            try db.execute(
                sql: "UPDATE usage_intervals SET ended_at = ? WHERE session_id = ? AND resource = ? AND ended_at IS NULL",
                arguments: [now, id.rawValue, resource.rawValue])
        }
        guard let session else { return }
        for holding in actions.begin {
            try db.execute(
                sql: """
                    INSERT INTO usage_intervals
                        (session_id, workspace, owner, session_name, resource, hourly_rate, currency, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id.rawValue, session.workspace.rawValue, session.owner, session.name, holding.resource.rawValue,
                    holding.hourlyRate, holding.currency, now,
                ])
        }
    }

    /// Meters every session again at the current rates: what changed in the prices or
    /// presets since the gateway last ran takes effect from `now`, and sessions stored
    /// before metering began are metered from `now`. Called once at start.
    public func meterAllSessions(now: Double = SessionStore.now()) async throws(SessionError) {
        let rates = usageRates
        try await write { db in
            let sessions = try Row.fetchAll(db, sql: "SELECT \(SessionRow.columns) FROM sessions").map(SessionRow.session(from:))
            for session in sessions {
                try Self.meter(session.id, as: session, rates: rates(session), now: now, in: db)
            }
        }
    }

    /// What each of `sessions` has cost and costs now; sessions never metered cost
    /// nothing.
    public func costs(of sessions: [SessionID], now: Double = SessionStore.now()) async throws(SessionError) -> [SessionID: SessionCost] {
        guard !sessions.isEmpty else { return [:] }
        return try await read { db in try Self.costs(of: sessions, now: now, in: db) }
    }

    static func costs(of sessions: [SessionID], now: Double, in db: Database) throws -> [SessionID: SessionCost] {
        let ids = sessions.map(\.rawValue)
        var costs: [SessionID: SessionCost] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT session_id, resource, hourly_rate, currency, started_at, ended_at FROM usage_intervals
                    WHERE session_id IN (\(chunk.map { _ in "?" }.joined(separator: ","))) ORDER BY id
                    """,
                arguments: StatementArguments(chunk))
            for row in rows {
                let id = SessionID(rawValue: row["session_id"])
                let ended: Double? = row["ended_at"]
                let seconds = max(0, (ended ?? now) - (row["started_at"] as Double))
                let rate: Double = row["hourly_rate"]
                var cost = costs[id] ?? .none
                cost.accumulated += rate * seconds / 3600
                if ended == nil { cost.hourlyRate += rate }
                if row["resource"] == UsageMeter.Resource.compute.rawValue { cost.computeHeldSeconds += seconds }
                let currency: String = row["currency"]
                if !currency.isEmpty { cost.currency = currency }
                costs[id] = cost
            }
        }
        return costs
    }

    /// What `workspace`'s sessions cost between `start` and `end` (seconds since the
    /// Unix epoch), deleted sessions included; intervals still open count up to `now`.
    public func usageReport(
        workspace: WorkspaceID, start: Double, end: Double, now: Double = SessionStore.now()
    ) async throws(SessionError) -> UsageReport {
        guard start < end else {
            throw SessionError(.invalidArgument, "the report's start must be before its end")
        }
        let lines = try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT session_id, owner, session_name, resource, hourly_rate, currency, started_at, ended_at
                    FROM usage_intervals WHERE workspace = ? AND started_at < ? AND COALESCE(ended_at, ?) > ? ORDER BY id
                    """,
                arguments: [workspace.rawValue, end, now, start])
            var lines: [String: UsageReport.Line] = [:]
            for row in rows {
                let from = max(start, row["started_at"] as Double)
                let to = min(end, (row["ended_at"] as Double?) ?? now)
                guard to > from else { continue }
                let id: String = row["session_id"], currency: String = row["currency"]
                let spend = (row["hourly_rate"] as Double) * (to - from) / 3600
                var line = lines["\(id)\u{0}\(currency)"] ?? UsageReport.Line(
                    owner: row["owner"], sessionID: SessionID(rawValue: id), sessionName: row["session_name"], currency: currency)
                line.owner = row["owner"]
                line.sessionName = row["session_name"]
                if row["resource"] == UsageMeter.Resource.compute.rawValue {
                    line.computeSpend += spend
                    line.computeHeldSeconds += to - from
                } else {
                    line.storageSpend += spend
                }
                lines["\(id)\u{0}\(currency)"] = line
            }
            return Array(lines.values)
        }
        return UsageReport(workspace: workspace, start: start, end: end, sessions: lines)
    }
}
