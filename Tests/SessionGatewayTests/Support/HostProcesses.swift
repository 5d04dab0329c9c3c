import Foundation

/// What `/proc` on the host says about sessions' processes.
enum HostProcesses {
    /// The ids of every host process whose environment holds `entry` (`NAME=value`),
    /// such as `SESSION_ID=<id>`: the processes of a session's command.
    static func withEnvironment(_ entry: String) -> [Int32] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return pids.filter { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == entry }
        }
    }

    /// The raw environment of a process (`NAME=value` entries, NUL-separated).
    static func environment(of pid: Int32) -> Data? {
        FileManager.default.contents(atPath: "/proc/\(pid)/environ")
    }

    /// The `/proc/<pid>/status` text of a process.
    static func status(of pid: Int32) -> String? {
        try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    }
}
