import RPCTransport
import SessionAPI

/// How a usage report looks to people: the sessions, then each owner's sum, then the
/// totals, as tables.
enum UsageView {
    /// The columns of every table: one line each.
    static let columns = ["OWNER", "SESSION", "ID", "COMPUTE", "STORAGE", "TOTAL", "COMPUTE HELD"]

    /// The report as three tables under a line naming the period.
    static func report(_ report: V1GetUsageReportResponse) -> String {
        let period = "Usage from \(HumanUnits.timestamp(report.startTime?.secondsSince1970 ?? 0)) "
            + "to \(HumanUnits.timestamp(report.endTime?.secondsSince1970 ?? 0))"
        guard !report.sessions.isEmpty else { return period + ": no session held anything.\n" }
        return [
            period, "", "Sessions", table(report.sessions).rendered(), "Owners", table(report.owners).rendered(),
            "Totals", table(report.totals).rendered(),
        ].joined(separator: "\n")
    }

    /// One row per line.
    static func table(_ lines: [V1UsageLine]) -> TextTable {
        TextTable(columns: columns, rows: lines.map { line in
            [
                line.owner.isEmpty ? "-" : line.owner,
                line.sessionName.isEmpty ? "-" : line.sessionName,
                line.sessionID.isEmpty ? "-" : line.sessionID,
                HumanUnits.money(line.computeSpend, currency: line.currency),
                HumanUnits.money(line.storageSpend, currency: line.currency),
                HumanUnits.money(line.total, currency: line.currency),
                held(line.computeHeld?.seconds ?? 0),
            ]
        })
    }

    private static func held(_ seconds: Int64) -> String {
        seconds > 0 ? HumanUnits.duration(seconds: seconds) : "0s"
    }
}
