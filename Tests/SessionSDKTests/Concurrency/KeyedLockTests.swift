import SessionSDK
import Synchronization
import Testing

@Suite("Keyed lock")
struct KeyedLockTests {
    @Test("callers with the same key run one at a time, in arrival order")
    func serializesOneKey() async {
        let lock = KeyedLock<String>()
        let log = Log()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    await lock.withLock("s") {
                        log.append("in \(index)")
                        await Task.yield()
                        log.append("out \(index)")
                    }
                }
            }
        }
        let entries = log.entries.withLock { $0 }
        #expect(entries.count == 40)
        for pair in stride(from: 0, to: entries.count, by: 2) {
            #expect(entries[pair].dropFirst(3) == entries[pair + 1].dropFirst(4), "\(entries)")
        }
        #expect(!lock.isHeld("s"))
    }

    @Test("a held key makes withLockIfFree return nil; other keys are free; errors pass through typed")
    func ifFreeAndOtherKeys() async throws {
        let lock = KeyedLock<String>()
        let inner = await lock.withLock("a") { () async -> (Int?, Int?) in
            #expect(lock.isHeld("a"))
            let same = await lock.withLockIfFree("a") { 1 }
            let other = await lock.withLockIfFree("b") { 2 }
            return (same, other)
        }
        #expect(inner.0 == nil)
        #expect(inner.1 == 2)
        #expect(await lock.withLockIfFree("a") { 3 } == 3)
        let error = await #expect(throws: SessionError.self) {
            try await lock.withLock("a") { () async throws(SessionError) in throw SessionError(.aborted, "stop") }
        }
        #expect(error?.code == .aborted)
        #expect(!lock.isHeld("a"))
    }
}

private final class Log: Sendable {
    let entries = Mutex<[String]>([])

    func append(_ entry: String) {
        entries.withLock { $0.append(entry) }
    }
}
