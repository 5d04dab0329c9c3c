import Foundation
internal import GRDB
public import Logging
public import SessionSDK

/// The gateway's durable record of workspaces, sessions, checkpoints, data-links, the
/// activity log and the change log, in one SQLite file.
///
/// The file is opened in WAL mode with `synchronous = FULL`: when a write returns, it
/// is on disk, so the gateway acknowledges a request only after the store returned.
/// Every operation that writes runs in one transaction and either happens entirely
/// or not at all. Every change to a session bumps one global revision and appends a
/// record to the change log, from which watchers resume (see ``watchChanges(workspace:after:)``).
///
/// All failures are ``SessionError``s with precise codes: `NOT_FOUND` (also for
/// objects in another workspace, so existence is not revealed), `ALREADY_EXISTS`,
/// `ABORTED` (a stale revision), `FAILED_PRECONDITION`, `INVALID_ARGUMENT`, and
/// `INTERNAL` or `UNAVAILABLE` when SQLite itself fails.
///
/// ```swift
/// let store = try SessionStore(location: .file("/var/lib/sessiongw/store.sqlite"), logger: logger)
/// let (session, created) = try await store.createSession(
///     workspace: .default, name: "train", owner: "ada", spec: spec)
/// let page = try await store.listSessions(workspace: .default, filter: .init(states: [.running]))
/// ```
public final class SessionStore: Sendable {
    /// Where the data lives.
    public enum Location: Sendable, Hashable {
        /// A database file (created when missing), in WAL mode with full sync.
        case file(String)
        /// Memory only, for tests: gone when the store is released.
        case inMemory
    }

    /// Tunables.
    public struct Configuration: Sendable, Hashable {
        /// The page size when a request gives 0.
        public var defaultPageSize: Int
        /// The largest page size; larger requests are clamped to it.
        public var maxPageSize: Int
        /// How many recent changes are kept in memory for watchers that are nearly
        /// current; older ones are read from the change log.
        public var recentChangeWindow: Int
        /// Concurrent reader connections (file databases only).
        public var maxReaders: Int

        /// 50 per page by default, at most 1000; 1024 recent changes; 4 readers.
        public static var defaults: Configuration {
            Configuration(defaultPageSize: 50, maxPageSize: 1000, recentChangeWindow: 1024, maxReaders: 4)
        }

        /// Creates a configuration.
        public init(defaultPageSize: Int, maxPageSize: Int, recentChangeWindow: Int, maxReaders: Int) {
            self.defaultPageSize = defaultPageSize
            self.maxPageSize = maxPageSize
            self.recentChangeWindow = recentChangeWindow
            self.maxReaders = maxReaders
        }
    }

    let database: any DatabaseWriter
    let configuration: Configuration
    let feed: ChangeFeed
    let tokens: PageTokenCodec
    let logger: Logger
    /// What a session costs per hour, for metering its changes (``UsageMeter``).
    let usageRates: @Sendable (Session) -> UsageRates

    /// Opens (creating or upgrading) the store and makes sure the `default` workspace exists.
    ///
    /// - Parameter usageRates: what a session costs per hour; every change of a
    ///   session's state is metered at these rates (free by default).
    /// - Throws: `UNAVAILABLE` when the file cannot be opened, `INTERNAL` when it is
    ///   not a store or cannot be upgraded.
    public init(
        location: Location, configuration: Configuration = .defaults,
        usageRates: @escaping @Sendable (Session) -> UsageRates = { _ in .free }, logger: Logger
    ) throws(SessionError) {
        self.configuration = configuration
        self.usageRates = usageRates
        self.logger = logger
        do {
            var options = GRDB.Configuration()
            options.label = "sessiongw.store"
            options.maximumReaderCount = max(configuration.maxReaders, 1)
            options.busyMode = .timeout(10)
            switch location {
            case .file(let path):
                let pool = try DatabasePool(path: path, configuration: options)
                // After GRDB's WAL set-up, which chooses NORMAL: a commit must reach the disk.
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                database = pool
            case .inMemory:
                database = try DatabaseQueue(configuration: options)
            }
            try StoreSchema.migrator.migrate(database)
            let (secret, revision) = try database.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO workspaces (id, created_at) VALUES (?, ?)",
                    arguments: [WorkspaceID.default.rawValue, Self.now()])
                let secret = try String.fetchOne(
                    db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [StoreSchema.MetaKey.pageTokenSecret])
                return (secret ?? "", try Self.currentRevision(db))
            }
            tokens = PageTokenCodec(secretHex: secret)
            feed = ChangeFeed(revision: revision, capacity: configuration.recentChangeWindow)
        } catch {
            let code = Self.storeError(error).code == .unavailable ? SessionError.Code.unavailable : .internalError
            throw SessionError(code, "the session store at \(location) cannot be opened: \(error)", cause: error)
        }
        logger.info("session store open", metadata: ["store.location": "\(location)", "store.revision": "\(feed.latest)"])
    }

    /// Ends every change stream and closes the database. Call it once every operation
    /// has returned (at shutdown, after the services stopped); operations started
    /// afterwards fail with `UNAVAILABLE`.
    public func close() throws(SessionError) {
        feed.close()
        do { try database.close() } catch {
            throw SessionError(.internalError, "the session store did not close cleanly", cause: error)
        }
    }

    /// The current time in seconds since the Unix epoch: the default `now` of every operation.
    public static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: Workspaces

    /// Every workspace, by id.
    public func workspaces() async throws(SessionError) -> [WorkspaceID] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM workspaces ORDER BY id").map(WorkspaceID.init(rawValue:))
        }
    }

    /// Creates a workspace; creating one that exists does nothing.
    ///
    /// - Returns: whether it was created.
    @discardableResult
    public func createWorkspace(_ id: WorkspaceID, now: Double = SessionStore.now()) async throws(SessionError) -> Bool {
        guard !id.rawValue.isEmpty else { throw SessionError(.invalidArgument, "workspace id must not be empty") }
        return try await write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO workspaces (id, created_at) VALUES (?, ?)", arguments: [id.rawValue, now])
            return db.changesCount > 0
        }
    }

    /// The writer connection's value of a pragma such as `journal_mode`, for
    /// diagnostics and tests.
    func pragma(_ name: String) async throws(SessionError) -> String? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (97...122).contains($0) }) else {
            throw SessionError(.invalidArgument, "'\(name)' is not a pragma name")
        }
        try requireOpen()
        do {
            return try await database.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        } catch {
            throw Self.storeError(error)
        }
    }

    // MARK: Access

    /// Runs `body` in one write transaction, mapping every failure to a ``SessionError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(SessionError) -> T {
        try requireOpen()
        do { return try await database.write(body) } catch { throw Self.storeError(error) }
    }

    /// Runs `body` in one read transaction (a consistent snapshot).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(SessionError) -> T {
        try requireOpen()
        do { return try await database.read(body) } catch { throw Self.storeError(error) }
    }

    /// SQLite connections must not be used once closed (GRDB treats it as a programmer
    /// error), so a closed store refuses before touching them.
    private func requireOpen() throws(SessionError) {
        if feed.isClosed { throw SessionError(.unavailable, "the session store is closed") }
    }

    /// A ``SessionError`` for whatever an access threw.
    static func storeError(_ error: any Error) -> SessionError {
        if let error = error as? SessionError { return error }
        if error is CancellationError { return SessionError(.cancelled, "the operation was cancelled", cause: error) }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL:
                return SessionError(.resourceExhausted, "the session store's disk is full", cause: error)
            case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_CANTOPEN:
                return SessionError(.unavailable, "the session store is unavailable; retry", cause: error)
            case .SQLITE_MISUSE where error.message?.contains("closed") == true:
                return SessionError(.unavailable, "the session store is closed", cause: error)
            default:
                break
            }
        }
        return SessionError(.internalError, "the session store failed: \(error)", cause: error)
    }

    /// The existence check every workspace-scoped write starts with.
    static func requireWorkspace(_ workspace: WorkspaceID, in db: Database) throws {
        guard try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = ?)"),
            arguments: [workspace.rawValue]) == true
        else {
            throw SessionError(.notFound, "workspace '\(workspace)' not found")
        }
    }

    /// A page size: 0 means the default, larger than the maximum means the maximum.
    func pageSize(_ requested: Int) throws(SessionError) -> Int {
        guard requested >= 0 else { throw SessionError(.invalidArgument, "page_size must not be negative") }
        return requested == 0 ? configuration.defaultPageSize : min(requested, configuration.maxPageSize)
    }
}
