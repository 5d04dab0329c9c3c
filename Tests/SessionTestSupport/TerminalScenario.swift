import Foundation
public import SessionAPI

/// The terminal acceptance every backend with the TERMINALS capability passes, through
/// the gateway: a terminal with a random name runs `seq 1 100000`; a second client
/// finds the last lines in the replayed scrollback; a third client's attach ends the
/// second's stream with its reason; after pause and resume the terminal is listed with
/// its scrollback and its command runs again; delete leaves no process of it (looked
/// for in this machine's `/proc`, where every backend's test sessions run).
public enum TerminalScenario {
    /// Runs the scenario on the RUNNING session `id`; ends with it RUNNING.
    ///
    /// - Throws: ``TestFailure`` saying which step did not hold.
    public static func run(_ gateway: InProcessGateway, session id: String, timeout: Duration = .seconds(120)) async throws {
        let terminals = gateway.terminals
        let created = try await terminals.createTerminal(V1CreateTerminalRequest(sessionID: id))
        guard created.name.wholeMatch(of: /[a-z]+-[a-z]+(-[0-9]+)?/) != nil, created.running else {
            throw TestFailure("a terminal created without a name is named '\(created.name)' (running: \(created.running))")
        }
        let name = created.name

        let first = TerminalAttachment(client: terminals, session: id, name: name, size: .init(rows: 40, columns: 120))
        first.type("seq 1 100000\r")
        try await first.waitForOutput(containing: "99999\r\n100000\r\n", timeout: .seconds(60))
        await first.close()

        let second = TerminalAttachment(client: terminals, session: id, name: name)
        try await second.waitForOutput(containing: "99999\r\n100000\r\n")
        let third = TerminalAttachment(client: terminals, session: id, name: name)
        try await third.waitForOutput(containing: "99999\r\n100000\r\n")
        guard case .detached(let reason) = try await second.waitForEnd(), reason.contains("another client") else {
            throw TestFailure("the second client's stream did not end for the third: \(String(describing: second.end))")
        }
        await second.close()
        await third.close()

        try await gateway.pause(id)
        _ = try await gateway.wait(id, timeout: timeout) { $0.state == .paused }
        try await gateway.resume(id)
        _ = try await gateway.wait(id, timeout: timeout) { $0.state == .running }
        let listed = try await terminals.listTerminals(V1ListTerminalsRequest(sessionID: id)).terminals
        guard listed.map(\.name) == [name], listed[0].running else {
            throw TestFailure("after resume the terminals are \(listed.map { "\($0.name) running: \($0.running)" })")
        }
        let resumed = TerminalAttachment(client: terminals, session: id, name: name)
        try await resumed.waitForOutput(containing: "99999\r\n100000\r\n")
        let marker = Int.random(in: 100_000...999_999)
        resumed.type("echo again-$((\(marker) + 1)); sleep \(marker) &\r")
        try await resumed.waitForOutput(containing: "again-\(marker + 1)")
        guard try await eventually(timeout: .seconds(10), { !processes(running: "sleep \(marker)").isEmpty }) else {
            throw TestFailure("the terminal's background job 'sleep \(marker)' is not in /proc")
        }

        _ = try await terminals.deleteTerminal(V1DeleteTerminalRequest(sessionID: id, name: name))
        guard case .detached = try await resumed.waitForEnd() else {
            throw TestFailure("deleting the terminal ended its client's stream with \(String(describing: resumed.end))")
        }
        await resumed.close()
        guard try await eventually(timeout: .seconds(10), { processes(running: "sleep \(marker)").isEmpty }) else {
            throw TestFailure("processes of the deleted terminal remain: \(processes(running: "sleep \(marker)"))")
        }
        let left = try await terminals.listTerminals(V1ListTerminalsRequest(sessionID: id)).terminals
        guard left.isEmpty else { throw TestFailure("after delete the terminals are \(left.map(\.name))") }
    }

    /// The ids of this machine's processes whose command line is `command` (its
    /// words joined by spaces).
    public static func processes(running command: String) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name in
            guard let pid = Int32(name),
                  let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !data.isEmpty
            else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.joined(separator: " ") == command ? pid : nil
        }
    }
}
