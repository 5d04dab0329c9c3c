import Foundation
import SessionSDK

/// The one job listing all sessions share: describing a thousand sessions costs one
/// `GET /jobs` per poll interval, not one call per session. Concurrent callers wait for
/// the same fetch; a listing younger than the poll interval is reused; after a submit
/// or cancel the next caller fetches a new one.
actor JobListing {
    /// One listing.
    struct Snapshot: Sendable {
        /// The jobs by id.
        var jobs: [Int: SlurmJob]
        /// Seconds since the Unix epoch when the request was sent: a job submitted later
        /// may be missing from it.
        var requestedAt: Double
        /// When it was fetched, for its age.
        var fetched: ContinuousClock.Instant
    }

    private let maximumAge: Duration
    private let fetch: @Sendable () async throws(SessionError) -> [SlurmJob]
    private var current: Snapshot?
    private var inFlight: Task<Snapshot, any Error>?

    /// Creates a listing that calls `fetch` at most once per `maximumAge` (plus
    /// invalidations).
    init(maximumAge: Duration, fetch: @escaping @Sendable () async throws(SessionError) -> [SlurmJob]) {
        self.maximumAge = maximumAge
        self.fetch = fetch
    }

    /// A listing no older than the maximum age.
    ///
    /// - Throws: `UNAVAILABLE` when slurmrestd or slurmctld cannot be reached.
    func snapshot() async throws(SessionError) -> Snapshot {
        if let current, ContinuousClock().now - current.fetched < maximumAge { return current }
        let task: Task<Snapshot, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let fetch = self.fetch
            task = Task {
                let requestedAt = Date().timeIntervalSince1970
                let jobs = try await fetch()
                return Snapshot(
                    jobs: Dictionary(jobs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
                    requestedAt: requestedAt, fetched: ContinuousClock().now)
            }
            inFlight = task
        }
        do {
            let snapshot = try await task.value
            if inFlight == task { inFlight = nil }
            if current.map({ $0.fetched < snapshot.fetched }) ?? true { current = snapshot }
            return snapshot
        } catch {
            if inFlight == task { inFlight = nil }
            throw (error as? SessionError) ?? SessionError(.unavailable, "cannot list Slurm jobs: \(error)", cause: error)
        }
    }

    /// Forgets the current listing, after a change that it does not show.
    func invalidate() {
        current = nil
    }
}
