import Glibc
@testable import LocalBackend
import Testing

@Suite("Process table")
struct ProcessTableTests {
    @Test("stat lines parse, also with spaces and parentheses in the command name")
    func parse() throws {
        let line = "4242 (my (odd) name) S 1 4200 4200 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615"
        let entry = try #require(ProcessTable.parse(statLine: line))
        #expect(entry.pid == 4242)
        #expect(entry.state == "S")
        #expect(entry.processGroup == 4200)
        #expect(entry.session == 4200)
        #expect(entry.startTicks == 987654)
        #expect(entry.isLive)
        #expect(ProcessTable.parse(statLine: "garbage") == nil)
    }

    @Test("this process is found, and a recorded start time that differs means the id was reused")
    func ownEntry() throws {
        let me = try #require(ProcessTable.entry(pid: getpid()))
        #expect(me.isLive)
        #expect(ProcessTable.isRunning(leader: getpid(), leaderStartTicks: me.startTicks))
        #expect(!ProcessTable.isRunning(leader: getpid(), leaderStartTicks: me.startTicks &+ 1))
        #expect(ProcessTable.liveMembers(leader: getpid(), leaderStartTicks: me.startTicks &+ 1).isEmpty)
    }

    @Test("a snapshot shows a leader ended only when it was taken after the leader's end")
    func snapshotAfterEnd() throws {
        let me = try #require(ProcessTable.entry(pid: getpid()))
        let now = ProcessTable.Snapshot.take()
        #expect(!now.showsEnded(leader: getpid(), leaderStartTicks: me.startTicks))
        #expect(now.showsEnded(leader: getpid(), leaderStartTicks: me.startTicks &+ 1))
        let gone = ProcessTable.Snapshot(entries: [:], takenTicks: me.startTicks &+ 1)
        #expect(gone.showsEnded(leader: getpid(), leaderStartTicks: me.startTicks))
        // Without the leader's start time, a snapshot lacking it cannot tell "ended"
        // from "taken before it started".
        #expect(!gone.showsEnded(leader: getpid(), leaderStartTicks: nil))
        // A snapshot from before the leader started lacks it too, and shows no end.
        let older = ProcessTable.Snapshot(entries: [:], takenTicks: me.startTicks &- 1)
        #expect(!older.showsEnded(leader: getpid(), leaderStartTicks: me.startTicks))
        #expect(ProcessTable.nowTicks() >= me.startTicks)
        // A candidate taken while the leader ran is not used for asking about its members.
        let fresh = ProcessTable.Snapshot.after(endOf: getpid(), leaderStartTicks: me.startTicks, candidate: now)
        #expect(fresh.entries[getpid()] != nil)
        #expect(ProcessTable.Snapshot.after(endOf: 999_999_999, leaderStartTicks: me.startTicks, candidate: gone).entries.isEmpty)
    }

    @Test("zombie children are reaped only when the leader id still names the recorded process")
    func reapingChecksTheLeader() async throws {
        var pid: pid_t = 0
        var arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { arguments.forEach { free($0) } }
        // In a process group of its own, as a session's leader is.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        #expect(posix_spawn(&pid, "/bin/true", nil, &attributes, &arguments, environ) == 0)
        var zombie: ProcessTable.Entry?
        for _ in 0..<200 {
            zombie = ProcessTable.entry(pid: pid)
            if zombie?.isLive == false { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let entry = try #require(zombie)
        #expect(!entry.isLive)
        #expect(entry.parent == getpid())

        // A recorded start time that differs means the id names another process now,
        // and without one nothing can be told: nothing is reaped.
        ProcessTable.reapAdoptedZombies(leader: pid, leaderStartTicks: entry.startTicks &+ 1)
        ProcessTable.reapAdoptedZombies(leader: pid, leaderStartTicks: nil)
        #expect(ProcessTable.entry(pid: pid)?.isLive == false)
        ProcessTable.reapAdoptedZombies(leader: pid, leaderStartTicks: entry.startTicks)
        #expect(ProcessTable.entry(pid: pid) == nil)
    }
}
