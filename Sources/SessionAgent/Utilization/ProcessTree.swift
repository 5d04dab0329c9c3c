internal import SessionSDK
import Foundation
import Glibc

/// The agent's processes and their descendants (the IDE, terminals and everything they
/// started), read from `/proc`: what the session's CPU and memory figures sum. Counting
/// descendants rather than every process in sight keeps the figures the session's own
/// wherever the agent runs: in a sandbox or container of its own, or beside others.
struct ProcessTree {
    /// One process's figures from `/proc/PID/stat`.
    struct Process: Hashable, Sendable {
        var pid: Int32
        var parent: Int32
        /// User and system CPU time, its own and that of its children it has waited
        /// for, in clock ticks.
        var cpuTicks: Int64
        /// Resident pages.
        var residentPages: Int64
    }

    /// The processes read.
    var processes: [Process]

    /// Reads every process of `/proc` (those that vanish while reading are skipped).
    static func read(procRoot: String = "/proc") -> ProcessTree {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: procRoot) else { return ProcessTree(processes: []) }
        return ProcessTree(processes: names.compactMap { name in
            guard Int32(name) != nil, let stat = try? String(contentsOfFile: "\(procRoot)/\(name)/stat", encoding: .utf8) else {
                return nil
            }
            return parse(stat: stat)
        })
    }

    /// The figures of one `/proc/PID/stat` line; nil when it is not one. The command
    /// name (field 2) may hold spaces and parentheses: the fields after it follow the
    /// last `)`.
    static func parse(stat: String) -> Process? {
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
              let pid = Int32(stat[..<open].trimmingCharacters(in: .whitespaces))
        else { return nil }
        // After the name: state (3), ppid (4), ... utime (14), stime (15), cutime (16),
        // cstime (17), ... rss (24); index 0 here is field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 21, let parent = Int32(fields[1]), let user = Int64(fields[11]), let system = Int64(fields[12]),
              let childrenUser = Int64(fields[13]), let childrenSystem = Int64(fields[14]), let resident = Int64(fields[21])
        else { return nil }
        return Process(
            pid: pid, parent: parent, cpuTicks: user + system + childrenUser + childrenSystem, residentPages: resident)
    }

    /// `root` and every process descending from it.
    func descendants(of root: Int32) -> [Process] {
        var children: [Int32: [Process]] = [:]
        for process in processes { children[process.parent, default: []].append(process) }
        var found = processes.filter { $0.pid == root }
        var index = 0
        while index < found.count {
            found += children[found[index].pid] ?? []
            index += 1
        }
        return found
    }
}
