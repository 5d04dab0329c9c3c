import Foundation
import Glibc
import SessionSDK

/// A session's home as a filesystem of its own: a btrfs filesystem (mixed block
/// groups, for small sizes) in a sparse image file, loop-mounted `nosuid,nodev` on the
/// home directory. Writes past its size fail with "no space left on device"; it grows
/// and shrinks online (`btrfs filesystem resize`), which is how the gateway's storage
/// policy grows a filling home and a resume gives back what a paused one no longer
/// needs. btrfs because it is the filesystem in the kernel that does both online (XFS
/// only grows, ext4 only shrinks offline) and needs no kernel quota support.
///
/// Only when the gateway is root (mounting needs it) and the Local setting
/// `growingHomes` is on; the provider then has the GROWING_HOME capability.
struct HomeImage: Sendable {
    /// The programs it runs.
    struct Tools: Hashable, Sendable {
        var mkfs: String
        var btrfs: String
        var losetup: String
        var mount: String
        var umount: String

        /// The tools, when every one is installed (btrfs-progs, util-linux).
        static func find() -> Tools? {
            guard let mkfs = ToolPaths.locate("mkfs.btrfs"), let btrfs = ToolPaths.locate("btrfs"),
                  let losetup = ToolPaths.locate("losetup"), let mount = ToolPaths.locate("mount"),
                  let umount = ToolPaths.locate("umount")
            else { return nil }
            return Tools(mkfs: mkfs, btrfs: btrfs, losetup: losetup, mount: mount, umount: umount)
        }
    }

    /// The smallest home filesystem, in bytes: btrfs resizes to nothing smaller.
    static let minimumBytes: Int64 = 256 << 20

    /// The image file.
    var image: String
    /// The home directory it is mounted on.
    var mountPoint: String
    var tools: Tools
    /// The variables the tools run with.
    var environment: [String: String]
    /// Where the tools' output is collected.
    var scratchDirectory: String

    /// `size` as a home can have it: at least ``minimumBytes``, in whole MiB (btrfs
    /// refuses sizes that are not whole sectors).
    static func fitted(_ size: Int64) -> Int64 {
        ((max(size, minimumBytes) + (1 << 20) - 1) >> 20) << 20
    }

    /// Makes a new filesystem of `size` bytes (``fitted(_:)``) and mounts it.
    func create(sizeBytes size: Int64) async throws(SessionError) {
        try setImageSize(Self.fitted(size), creating: true)
        try await run(tools.mkfs, ["--mixed", "-q", "-f", image], "make the home filesystem")
        try await ensureMounted()
    }

    /// Mounts the image on the home directory unless it is mounted (after the machine
    /// restarted, or before anything reads the home).
    func ensureMounted() async throws(SessionError) {
        guard !isMounted else { return }
        try await run(tools.mount, ["-o", "loop,nosuid,nodev", "--", image, mountPoint], "mount the home filesystem")
    }

    /// Whether the home directory is a mount point (per `/proc/self/mountinfo`).
    var isMounted: Bool {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        let wanted = Self.mountInfoEscaped(mountPoint)
        return text.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", maxSplits: 5)
            return fields.count > 4 && fields[4] == wanted
        }
    }

    /// The filesystem's size and what it holds, in bytes (nil when it is not mounted).
    var usage: (size: Int64, used: Int64)? {
        guard isMounted else { return nil }
        var info = statvfs()
        guard statvfs(mountPoint, &info) == 0 else { return nil }
        let block = Int64(info.f_frsize)
        return (Int64(info.f_blocks) * block, Int64(info.f_blocks - info.f_bfree) * block)
    }

    /// The free space of the filesystem holding `directory`, at most 1 TiB: how big a
    /// home can be made before it is cut to what it holds.
    static func spaceFor(_ directory: String) -> Int64 {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return minimumBytes }
        return min(Int64(info.f_bavail) * Int64(info.f_frsize), 1 << 40)
    }

    /// The image's size in bytes.
    var imageBytes: Int64 {
        var info = stat()
        return stat(image, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Grows or shrinks the filesystem (and its image) to `size` bytes (``fitted(_:)``);
    /// a shrink the filesystem refuses (it holds more) leaves the
    /// size as it is. Returns the image's size afterwards.
    func resize(to size: Int64) async throws(SessionError) -> Int64 {
        try await ensureMounted()
        let target = Self.fitted(size)
        let current = imageBytes
        if target > current {
            try setImageSize(target, creating: false)
            try await refreshLoopDevice()
            try await run(tools.btrfs, ["filesystem", "resize", "max", mountPoint], "grow the home filesystem")
        } else if target < current {
            do {
                try await run(tools.btrfs, ["filesystem", "resize", String(target), mountPoint], "shrink the home filesystem")
            } catch {
                return current  // it holds more than `target`
            }
            try setImageSize(target, creating: false)
            try await refreshLoopDevice()
        }
        return imageBytes
    }

    /// Unmounts the home (lazily when something still holds it); the loop device goes
    /// with it.
    func unmount() async {
        guard isMounted else { return }
        if (try? await run(tools.umount, [mountPoint], "unmount the home filesystem")) == nil {
            _ = try? await run(tools.umount, ["-l", mountPoint], "unmount the home filesystem")
        }
    }

    // MARK: Helpers

    private func setImageSize(_ size: Int64, creating: Bool) throws(SessionError) {
        let descriptor = open(image, O_WRONLY | O_CLOEXEC | (creating ? O_CREAT | O_EXCL : 0), 0o600)
        guard descriptor >= 0 else {
            throw SessionError(.internalError, "cannot open the home image \(image): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            throw SessionError(.resourceExhausted, "cannot size the home image \(image): \(String(cString: strerror(errno)))")
        }
    }

    /// Tells the loop device its image changed size.
    private func refreshLoopDevice() async throws(SessionError) {
        let found = try await run(tools.losetup, ["-j", image], "find the home's loop device")
        guard let device = found.output.split(separator: "\n").first?.split(separator: ":").first else {
            throw SessionError(.internalError, "the home image \(image) has no loop device")
        }
        try await run(tools.losetup, ["-c", String(device)], "resize the home's loop device")
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String], _ what: String) async throws(SessionError) -> ExecutionResult {
        let result = try await ChildProcess.run(
            tool, arguments, environment: environment, scratchDirectory: scratchDirectory, timeout: .seconds(60))
        guard result.exitCode == 0 else {
            throw SessionError(
                .internalError,
                "cannot \(what) (\(mountPoint)): \(result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))")
        }
        return result
    }

    /// A path as `/proc/self/mountinfo` writes it: space, tab, newline and backslash as
    /// octal escapes.
    static func mountInfoEscaped(_ path: String) -> Substring {
        var escaped = ""
        for character in path {
            switch character {
            case " ": escaped += "\\040"
            case "\t": escaped += "\\011"
            case "\n": escaped += "\\012"
            case "\\": escaped += "\\134"
            default: escaped.append(character)
            }
        }
        return Substring(escaped)
    }
}
