public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.UsageService`: what a workspace's sessions cost over a period, from
/// the store's metered intervals (``SessionStore/usageReport(workspace:start:end:now:)``).
public struct UsageServiceHandler: RPCService {
    let store: SessionStore
    let access: AccessControl

    /// The period of a report that gives no start: 30 days before its end.
    static let defaultPeriod: Double = 30 * 24 * 3600

    /// Creates the service.
    init(store: SessionStore, access: AccessControl) {
        self.store = store
        self.access = access
    }

    public func registerMethods(with router: inout RPCRouter) {
        let store = store
        router.unary(UsageServiceMethods.getUsageReport, access: access) {
            (request: V1GetUsageReportRequest, grant) throws(SessionError) in
            let end = request.endTime?.secondsSince1970 ?? SessionStore.now()
            let start = request.startTime?.secondsSince1970 ?? end - Self.defaultPeriod
            let report = try await store.usageReport(workspace: grant.workspace, start: start, end: end)
            return V1GetUsageReportResponse(
                startTime: ProtobufTimestamp(secondsSince1970: report.start),
                endTime: ProtobufTimestamp(secondsSince1970: report.end),
                sessions: report.sessions.map(V1UsageLine.init), owners: report.owners.map(V1UsageLine.init),
                totals: report.totals.map(V1UsageLine.init))
        }
    }
}

extension V1UsageLine {
    /// The message of a report line.
    init(_ line: UsageReport.Line) {
        self.init(
            owner: line.owner, sessionID: line.sessionID?.rawValue ?? "", sessionName: line.sessionName,
            currency: line.currency, computeSpend: line.computeSpend, storageSpend: line.storageSpend, total: line.total,
            computeHeld: ProtobufDuration(.milliseconds(Int64(line.computeHeldSeconds * 1000))))
    }
}

extension V1SessionCost {
    /// The message of a session's cost; `running` is its compute and storage rates.
    init(_ cost: SessionCost, running: UsageRates) {
        self.init(
            currency: cost.currency.isEmpty ? running.currency : cost.currency, hourlyRate: cost.hourlyRate,
            runningHourlyRate: running.compute + running.storage, accumulated: cost.accumulated,
            computeHeld: ProtobufDuration(.milliseconds(Int64(cost.computeHeldSeconds * 1000))))
    }
}
