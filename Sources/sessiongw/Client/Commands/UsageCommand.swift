import ArgumentParser
import Foundation
import RPCTransport
import SessionAPI

/// `sessiongw usage`: what the workspace's sessions cost over a period.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Report what the workspace's sessions cost over a period, per session, per owner and in total.",
        discussion: """
            Compute is billed while a session holds it (STARTING, RUNNING, PAUSING), storage from its creation \
            until its deletion, at the prices of its compute environment (`pricing:` in the configuration). \
            Deleted sessions are included. Environments without prices show '-' (their time is still metered).

            \(ClientExitCode.help)
            """)

    @Option(help: ArgumentHelp("The period: this long before its end (such as 7d or 12h).", valueName: "duration"))
    var since = DurationArgument(.seconds(30 * 24 * 3600))

    @Option(help: ArgumentHelp("The period's start, such as 2026-12-01 or 2026-12-01T08:00:00Z (instead of --since).", valueName: "time"))
    var start: String?

    @Option(help: ArgumentHelp("The period's end, such as 2026-12-31 or 2026-12-31T18:00:00Z. Default: now.", valueName: "time"))
    var end: String?

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        for (name, value) in [("--start", start), ("--end", end)] {
            if let value, Self.time(value) == nil {
                throw ValidationError("\(name) '\(value)' is not a date (2026-12-01) or a UTC time (2026-12-01T08:00:00Z)")
            }
        }
    }

    func run() async throws {
        let end = self.end.flatMap(Self.time) ?? output.now
        let start = self.start.flatMap(Self.time) ?? end - Double(since.duration.components.seconds)
        try await ClientInvocation.run(connection) { gateway in
            let report = try await gateway.usage.getUsageReport(
                V1GetUsageReportRequest(
                    workspace: gateway.workspace, startTime: ProtobufTimestamp(secondsSince1970: start),
                    endTime: ProtobufTimestamp(secondsSince1970: end)))
            output.print(report) { UsageView.report(report) }
        }
    }

    /// A date (midnight UTC) or a UTC time, in seconds since 1970.
    static func time(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
