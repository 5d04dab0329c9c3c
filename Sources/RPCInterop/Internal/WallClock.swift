#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The system's wall-clock time, which `ContinuousClock` does not expose.
enum WallClock {
    /// Nanoseconds since the Unix epoch.
    static func nanosecondsSinceEpoch() -> Int64 {
        var now = timespec()
        let result = clock_gettime(CLOCK_REALTIME, &now)
        precondition(result == 0, "clock_gettime(CLOCK_REALTIME) failed")
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
