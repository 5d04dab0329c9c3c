import Foundation
import Glibc
import Synchronization

/// The bytes the files under a directory occupy, as `du -x` counts them: allocated
/// blocks of every file, directory and link, a file with several hard links once,
/// without following links and without descending into other mounts (other
/// filesystems, and mount points under the directory such as data-links bound from the
/// same one, which are skipped whole).
///
/// The measure of a home on elastic storage (EFS), whose filesystem reports no size of
/// the home's own. Walking a large home costs metadata calls, so a walk is reused for
/// twenty times as long as it took (a walk of 0.5 s is repeated at most every 10 s).
final class DirectoryUsage: Sendable {
    /// The directory measured.
    let directory: String
    private let latest = Mutex<(at: ContinuousClock.Instant, took: Duration, bytes: Int64)?>(nil)

    /// A measure of `directory`.
    init(directory: String) {
        self.directory = directory
    }

    /// The bytes under the directory, walked again when the last walk is old enough.
    func bytes(now: ContinuousClock.Instant = .now) -> Int64 {
        if let latest = latest.withLock({ $0 }), now - latest.at < latest.took * 20 {
            return latest.bytes
        }
        let start = ContinuousClock.now
        let bytes = Self.walk(directory, skipping: Self.mountPoints(under: directory))
        latest.withLock { $0 = (now, ContinuousClock.now - start, bytes) }
        return bytes
    }

    /// The allocated bytes under `directory`, not descending into `skipped` directories.
    static func walk(_ directory: String, skipping skipped: Set<String>) -> Int64 {
        var root = stat()
        guard lstat(directory, &root) == 0, (root.st_mode & S_IFMT) == S_IFDIR else { return 0 }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return Int64(root.st_blocks) * 512 }
        var walker = Walker(device: root.st_dev, skipped: skipped)
        return Int64(root.st_blocks) * 512 + walker.walk(descriptor, path: directory.hasSuffix("/") ? String(directory.dropLast()) : directory)
    }

    /// One walk's state: the device it stays on, the directories it skips, the inodes
    /// of files with several links counted so far.
    private struct Walker {
        let device: dev_t
        let skipped: Set<String>
        var linked = Set<HardLink>()

        /// The bytes under the directory open as `descriptor` (which it closes), at `path`.
        mutating func walk(_ descriptor: Int32, path: String) -> Int64 {
            guard let stream = fdopendir(descriptor) else {
                close(descriptor)
                return 0
            }
            defer { closedir(stream) }
            let directory = dirfd(stream)
            var total: Int64 = 0
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                guard name != ".", name != ".." else { continue }
                var status = stat()
                guard fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_dev == device else { continue }
                let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
                if !isDirectory, status.st_nlink > 1,
                   !linked.insert(HardLink(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))).inserted {
                    continue
                }
                let child = path + "/" + name
                if isDirectory, skipped.contains(child) { continue }
                total += Int64(status.st_blocks) * 512
                if isDirectory {
                    let opened = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if opened >= 0 { total += walk(opened, path: child) }
                }
            }
            return total
        }
    }

    /// The mount points strictly under `directory` in this process's mount namespace
    /// (`/proc/self/mountinfo`), as paths under `directory` as given.
    static func mountPoints(under directory: String, mountInfo: String? = nil) -> Set<String> {
        guard let text = mountInfo ?? (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) else { return [] }
        let real = realpath(directory, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? directory
        let prefix = real.hasSuffix("/") ? real : real + "/"
        var points = Set<String>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 4 else { continue }
            let point = unescape(fields[4])
            guard point.hasPrefix(prefix) else { continue }
            points.insert((directory.hasSuffix("/") ? directory : directory + "/") + point.dropFirst(prefix.count))
        }
        return points
    }

    /// A mountinfo path with its octal escapes (`\040` for a space) undone.
    private static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = field.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3, let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private struct HardLink: Hashable {
        var device: UInt64
        var inode: UInt64
    }
}
