import Foundation
import Glibc
import LocalBackend
import SessionSDK
import Testing

/// What is on the machine, looked at from outside the provider: session directories,
/// checkpoint archives, and the processes `/proc` lists.
enum BackendInspection {
    /// The process group leader a session directory names: `pid` in `state.json`,
    /// else the launcher's `pid` file.
    static func leader(sessionDirectory: String) -> pid_t? {
        if let data = FileManager.default.contents(atPath: "\(sessionDirectory)/state.json"),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let pid = (object["pid"] as? NSNumber)?.int32Value, pid > 1 {
            return pid
        }
        guard let text = try? String(contentsOfFile: "\(sessionDirectory)/pid", encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return nil }
        return pid
    }

    /// The session's leader, for a test's clean-up to kill its process group: only
    /// while the id still names the process `state.json` recorded (same start time).
    /// Ids are reused, and a blind `kill(-pid)` at clean-up once took down an unrelated
    /// daemon's process group.
    static func recordedLeader(sessionDirectory: String) -> pid_t? {
        guard let data = FileManager.default.contents(atPath: "\(sessionDirectory)/state.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let pid = (object["pid"] as? NSNumber)?.int32Value, pid > 1,
              let recorded = (object["pidStartTicks"] as? NSNumber)?.uint64Value,
              startTicks(of: pid) == recorded
        else { return nil }
        return pid
    }

    /// When process `pid` started, in clock ticks since boot (field 22 of its stat line).
    static func startTicks(of pid: pid_t) -> UInt64? {
        guard let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = line.lastIndex(of: ")")
        else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// The live (not zombie) processes whose process group or session is `leader`.
    static func liveMembers(of leader: pid_t) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> pid_t? in
            guard let pid = pid_t(name),
                  let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = line.lastIndex(of: ")")
            else { return nil }
            // After the command name: state, ppid, pgrp, session, ...
            let fields = line[line.index(after: close)...].split(separator: " ")
            guard fields.count > 3, let group = pid_t(fields[2]), let session = pid_t(fields[3]) else { return nil }
            let live = fields[0] != "Z" && fields[0] != "X"
            return live && (group == leader || session == leader) ? pid : nil
        }
    }
}

extension GatewayHarness {
    /// `ROOT/sessions`.
    var backendSessionsDirectory: String { "\(provider.configuration.rootDirectory)/sessions" }
    /// `ROOT/checkpoints`.
    var backendCheckpointsDirectory: String { "\(provider.configuration.rootDirectory)/checkpoints" }
    /// The directory emulating object stores.
    var bucketsDirectory: String { provider.configuration.bucketsDirectory }

    /// The ids of every session directory the backend holds.
    func backendSessionIDs() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: backendSessionsDirectory)) ?? []).sorted()
    }

    /// Whether the backend holds a directory for the session.
    func backendDirectoryExists(_ id: SessionID) -> Bool {
        FileManager.default.fileExists(atPath: "\(backendSessionsDirectory)/\(id.rawValue)")
    }

    /// The session's process group leader, from the provider's state file.
    func leader(of id: SessionID) -> pid_t? {
        BackendInspection.leader(sessionDirectory: "\(backendSessionsDirectory)/\(id.rawValue)")
    }

    /// The live processes of the session's process group (empty when it has none).
    func liveProcesses(of id: SessionID) -> [pid_t] {
        guard let leader = leader(of: id) else { return [] }
        return BackendInspection.liveMembers(of: leader)
    }

    /// Every checkpoint archive on disk, as `session/checkpoint.tar.gz`.
    func checkpointArchives() -> [String] {
        let files = FileManager.default
        let sessions = (try? files.contentsOfDirectory(atPath: backendCheckpointsDirectory)) ?? []
        return sessions.flatMap { session in
            ((try? files.contentsOfDirectory(atPath: "\(backendCheckpointsDirectory)/\(session)")) ?? [])
                .map { "\(session)/\($0)" }
        }.sorted()
    }

    /// Runs a shell command inside the session (its `/workspace` and data-links).
    func shell(_ script: String, in session: Session) async throws -> ExecutionResult {
        let handle = try #require(session.handle, "session '\(session.name)' has no handle")
        return try await provider.execute(["sh", "-c", script], in: handle)
    }
}
