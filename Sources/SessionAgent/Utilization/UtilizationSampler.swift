public import SessionSDK
import Foundation
import Glibc
import Synchronization

/// Samples the session's utilization every `interval` (15 s by default) and keeps the
/// latest sample: CPU of the agent's process tree since the previous sample, its
/// resident memory against the memory limit (the cgroup's, else the machine's), the
/// disk of the working directory (its filesystem, or what the files under it occupy:
/// ``SessionSDK/SessionAgentLaunch/DiskUsage``), and the GPUs `nvidia-smi` reports.
public final class UtilizationSampler: Sendable {
    /// How often it samples.
    public let interval: Duration
    private let directory: String
    private let directoryUsage: DirectoryUsage?
    private let path: String
    private let state = Mutex<State>(State())

    private let (stops, stopper) = AsyncStream.makeStream(of: Void.self)

    private struct State {
        var latest: UtilizationSample?
        var previous: (time: Double, ticks: Int64)?
    }

    /// A sampler of the agent's processes and `directory`'s disk, measured as
    /// `diskUsage` says; `path` is searched for `nvidia-smi`.
    public init(
        interval: Duration = .seconds(15), directory: String, diskUsage: SessionAgentLaunch.DiskUsage = .filesystem, path: String
    ) {
        self.interval = interval
        self.directory = directory
        self.directoryUsage = diskUsage == .directory ? DirectoryUsage(directory: directory) : nil
        self.path = path
    }

    /// The latest sample; nil before the first.
    public var latest: UtilizationSample? { state.withLock { $0.latest } }

    /// Samples now, then every ``interval``, until ``stop()`` or cancellation. Call it once.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    self.sample()
                    do { try await Task.sleep(for: self.interval) } catch { return }
                }
            }
            // Ends with stop() (or at once if it came first), or with cancellation.
            group.addTask {
                for await _ in self.stops {}
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Ends ``run()`` at once.
    public func stop() {
        stopper.finish()
    }

    /// Takes a sample and keeps it as the latest.
    @discardableResult
    func sample(now: Date = Date()) -> UtilizationSample {
        let processes = ProcessTree.read().descendants(of: getpid())
        let ticks = processes.reduce(0) { $0 + $1.cpuTicks }
        let resident = processes.reduce(0) { $0 + $1.residentPages } * Int64(sysconf(Int32(_SC_PAGESIZE)))
        let (diskUsed, diskTotal) = directoryUsage.map { ($0.bytes(), 0) } ?? Self.disk(of: directory)
        let gpus = GPUQuery.run(path: path)
        let time = now.timeIntervalSince1970
        return state.withLock { state in
            var cores = 0.0
            if let previous = state.previous, time > previous.time {
                cores = max(0, Double(ticks - previous.ticks) / Double(sysconf(Int32(_SC_CLK_TCK))) / (time - previous.time))
            }
            state.previous = (time, ticks)
            let sample = UtilizationSample(
                time: time, cpuCores: cores, memoryUsedBytes: resident, memoryLimitBytes: Self.memoryLimit(),
                diskUsedBytes: diskUsed, diskTotalBytes: diskTotal, gpus: gpus)
            state.latest = sample
            return sample
        }
    }

    /// Used and total bytes of the filesystem holding `path`.
    static func disk(of path: String) -> (used: Int64, total: Int64) {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return (0, 0) }
        let block = Int64(stats.f_frsize)
        return ((Int64(stats.f_blocks) - Int64(stats.f_bfree)) * block, Int64(stats.f_blocks) * block)
    }

    /// The cgroup v2 memory limit when there is one, else the machine's memory.
    static func memoryLimit() -> Int64 {
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let limit = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return limit
        }
        return Int64(sysconf(Int32(_SC_PHYS_PAGES))) * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }
}
