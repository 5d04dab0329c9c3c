import Glibc
import SessionSDK
import Synchronization

/// The statuses of sessions whose processes have all ended, kept until their state
/// file changes.
///
/// Once every process of a session has ended, nothing but an operation of this
/// provider can change what describing it says, and every such operation rewrites the
/// state file (atomically, so under a new inode). Remembering the status against the
/// file's identity lets the gateway's periodic passes over thousands of paused and
/// failed sessions cost one `stat` each instead of a scan of `/proc` and three reads.
final class SettledStatuses: Sendable {
    /// The identity of one version of a state file.
    struct Stamp: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int

        /// The stamp of the file at `path`, or nil when it cannot be read.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modifiedSeconds = info.st_mtim.tv_sec
            modifiedNanoseconds = info.st_mtim.tv_nsec
        }
    }

    private struct Entry: Sendable {
        var stamp: Stamp
        var status: ProviderSessionStatus
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The remembered status of session `id`, if its state file still has `stamp`.
    func status(of id: String, stamp: Stamp) -> ProviderSessionStatus? {
        entries.withLock { entries in
            guard let entry = entries[id], entry.stamp == stamp else { return nil }
            return entry.status
        }
    }

    /// Remembers the status of a session none of whose processes runs; `stamp` must
    /// have been taken before the state file was read.
    func remember(_ status: ProviderSessionStatus, of id: String, stamp: Stamp) {
        entries.withLock { $0[id] = Entry(stamp: stamp, status: status) }
    }

    /// Forgets every session not in `ids` (those deleted meanwhile).
    func keep(only ids: Set<String>) {
        entries.withLock { entries in entries = entries.filter { ids.contains($0.key) } }
    }
}
