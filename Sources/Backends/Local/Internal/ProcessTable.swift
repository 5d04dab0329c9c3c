import Foundation
import Glibc
import Synchronization

/// What `/proc` says about processes: the facts the Local backend needs to tell
/// whether a session's processes still run, and to stop all of them.
///
/// A session's processes share one session id and process group id: those of the
/// launcher shell, which `setsid` made a session leader. The leader's start time (in
/// clock ticks since boot) is recorded too, so a recycled process id is never taken
/// for the session.
enum ProcessTable {
    /// One line of `/proc/<pid>/stat`.
    struct Entry: Hashable, Sendable {
        /// The process id.
        var pid: pid_t
        /// The state letter: `R`, `S`, `D`, `Z` (zombie), `X` (dead)...
        var state: Character
        /// The parent's process id.
        var parent: pid_t
        /// The process group id.
        var processGroup: pid_t
        /// The session id.
        var session: pid_t
        /// When it started, in clock ticks since boot.
        var startTicks: UInt64

        /// Whether it still runs (zombies do not).
        var isLive: Bool { state != "Z" && state != "X" }

        /// Whether it belongs to the session whose leader is `leader`.
        func belongs(to leader: pid_t) -> Bool { session == leader || processGroup == leader }
    }

    /// Every process at one moment, for answering many questions with one scan.
    struct Snapshot: Sendable {
        /// The processes by id.
        var entries: [pid_t: Entry]
        /// When it was taken, in clock ticks since boot (the unit of process start times).
        var takenTicks: UInt64

        /// Whether the snapshot was taken after the session's leader ended: it then
        /// holds every member the session still had, since a session's processes
        /// are only ever started by its members.
        ///
        /// A snapshot without the leader shows its end only if it was taken after the
        /// leader started: one taken before (a cached snapshot, older than the session)
        /// lacks the leader too, and would wrongly show a running session as stopped.
        func showsEnded(leader: pid_t, leaderStartTicks: UInt64?) -> Bool {
            guard let entry = entries[leader] else {
                // Ticks are coarse: one from the leader's own tick is not trusted either.
                guard let leaderStartTicks else { return false }
                return takenTicks > leaderStartTicks
            }
            return !entry.isLive || (leaderStartTicks != nil && entry.startTicks != leaderStartTicks)
        }

        /// A snapshot taken after the session's leader ended: `candidate` or the one
        /// last taken here if either qualifies, else a new one (kept for the next
        /// caller). Describing many ended sessions one by one so scans `/proc` once.
        static func after(endOf leader: pid_t, leaderStartTicks: UInt64?, candidate: Snapshot?) -> Snapshot {
            for snapshot in [candidate, last.withLock { $0 }] {
                if let snapshot, snapshot.showsEnded(leader: leader, leaderStartTicks: leaderStartTicks) { return snapshot }
            }
            let snapshot = take()
            last.withLock { $0 = snapshot }
            return snapshot
        }

        private static let last = Mutex<Snapshot?>(nil)

        /// Reads every `/proc/<pid>/stat`.
        static func take() -> Snapshot {
            let takenTicks = ProcessTable.nowTicks()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            var entries: [pid_t: Entry] = [:]
            for name in names {
                if let pid = pid_t(name), let entry = ProcessTable.entry(pid: pid) { entries[pid] = entry }
            }
            return Snapshot(entries: entries, takenTicks: takenTicks)
        }

        /// The live processes of the session whose leader is `leader`; empty when
        /// `leader` now names a different process (its start time differs from
        /// `leaderStartTicks`), which means the session's processes all ended and
        /// the id was reused.
        func liveMembers(leader: pid_t, leaderStartTicks: UInt64?) -> [Entry] {
            guard leader > 1 else { return [] }
            if let current = entries[leader], let leaderStartTicks, current.startTicks != leaderStartTicks { return [] }
            return entries.values.filter { $0.isLive && $0.belongs(to: leader) }
        }
    }

    /// Parses a `/proc/<pid>/stat` line; the command name may contain spaces and
    /// parentheses, so fields are counted from the last `)`.
    static func parse(statLine line: String) -> Entry? {
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") else { return nil }
        guard let pid = pid_t(line[..<open].trimmingCharacters(in: .whitespaces)) else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state); start time is field 22.
        guard fields.count > 19, let state = fields[0].first, let parent = pid_t(fields[1]),
              let group = pid_t(fields[2]), let session = pid_t(fields[3]), let start = UInt64(fields[19])
        else { return nil }
        return Entry(pid: pid, state: state, parent: parent, processGroup: group, session: session, startTicks: start)
    }

    /// The entry for one process, or nil when it does not exist.
    static func entry(pid: pid_t) -> Entry? {
        guard pid > 0, let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parse(statLine: line)
    }

    /// Every live process of the session whose leader is `leader` (see
    /// ``Snapshot/liveMembers(leader:leaderStartTicks:)``).
    static func liveMembers(leader: pid_t, leaderStartTicks: UInt64?) -> [Entry] {
        Snapshot.take().liveMembers(leader: leader, leaderStartTicks: leaderStartTicks)
    }

    /// Whether any process of the session runs; reads one file when the leader itself
    /// runs, else looks for members in a snapshot taken after the leader ended
    /// (`snapshot` when it is one; see ``Snapshot/after(endOf:leaderStartTicks:candidate:)``).
    static func isRunning(leader: pid_t, leaderStartTicks: UInt64?, snapshot: Snapshot? = nil) -> Bool {
        if let current = entry(pid: leader), current.isLive,
           leaderStartTicks == nil || current.startTicks == leaderStartTicks {
            return true
        }
        return !Snapshot.after(endOf: leader, leaderStartTicks: leaderStartTicks, candidate: snapshot)
            .liveMembers(leader: leader, leaderStartTicks: leaderStartTicks).isEmpty
    }

    /// The time since boot in clock ticks, comparable with ``Entry/startTicks``.
    static func nowTicks() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        let ticksPerSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return UInt64(time.tv_sec) * ticksPerSecond + UInt64(time.tv_nsec) * ticksPerSecond / 1_000_000_000
    }

    /// Sends `signal` to the session's process group and to every member that left it.
    static func signalSession(leader: pid_t, members: [Entry], signal: Int32) {
        guard leader > 1 else { return }
        kill(-leader, signal)
        for member in members where member.processGroup != leader {
            kill(member.pid, signal)
        }
    }

    /// Reaps the session's zombies whose parent is this process. Session processes
    /// are orphaned on purpose (they outlive the gateway) and normally init reaps
    /// them; when the gateway is itself PID 1 or a subreaper, they are re-parented to
    /// it, and this keeps them from piling up.
    ///
    /// Only with the leader's start time known, and while the leader's id is not
    /// taken by another process: once it is, whatever has that id as its group or
    /// session (such as the `setsid` child another create is waiting for) is not the
    /// session's, and reaping it would take its exit status from its real waiter.
    static func reapAdoptedZombies(leader: pid_t, leaderStartTicks: UInt64?) {
        guard leader > 1, let leaderStartTicks else { return }
        let snapshot = Snapshot.take()
        if let current = snapshot.entries[leader], current.startTicks != leaderStartTicks { return }
        let me = getpid()
        for entry in snapshot.entries.values where !entry.isLive && entry.parent == me && entry.belongs(to: leader) {
            var status: Int32 = 0
            _ = waitpid(entry.pid, &status, WNOHANG)
        }
    }
}
