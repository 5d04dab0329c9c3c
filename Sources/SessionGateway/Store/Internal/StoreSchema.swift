internal import GRDB

/// The store's tables, created and upgraded by a `DatabaseMigrator`.
///
/// Filtered and ordered fields are real columns with indexes; what is only ever read
/// back whole (the spec, the connection, change snapshots) is JSON. Labels live in
/// their own table, one row per key, so that an exact `key = value` filter is an index
/// lookup and cannot match a different value, a longer key, or a substring of the JSON.
enum StoreSchema {
    /// The migrator with every schema version, oldest first. Never edit a registered
    /// migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
            try db.execute(
                sql: "INSERT INTO store_meta (key, value) VALUES (?, ?)",
                arguments: [MetaKey.pageTokenSecret, PageTokenCodec.makeSecret()])
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8") { db in
            try db.execute(sql: v8)
        }
        migrator.registerMigration("v9") { db in
            try db.execute(sql: v9)
        }
        return migrator
    }

    /// Keys of `store_meta`.
    enum MetaKey {
        /// Hex bytes that key the page-token checksum.
        static let pageTokenSecret = "page_token_secret"
        /// The newest revision whose change records were pruned.
        static let prunedThrough = "changes_pruned_through"
    }

    /// The size of each session's new home volume as a column, so the disk-limit check
    /// of a create sums an index instead of decoding every session of its environment.
    private static let v2 = """
        ALTER TABLE sessions ADD COLUMN home_volume_bytes INTEGER NOT NULL DEFAULT 0;
        \(backfillHomeVolumes);
        CREATE INDEX sessions_home_volumes ON sessions (workspace, compute_environment, name, home_volume_bytes);
        """

    /// Who asked for each activity log entry, and the sessions deleted recently, so that
    /// deleting one again succeeds while an id that never existed is `NOT_FOUND`.
    /// Entries written before this version name their creator only in the message.
    private static let v4 = """
        ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT '';
        UPDATE events SET actor = substr(message, 12) WHERE type = 'CREATED' AND message LIKE 'created by %';
        CREATE TABLE deleted_sessions (
            id TEXT PRIMARY KEY,
            workspace TEXT NOT NULL,
            deleted_at REAL NOT NULL
        );
        CREATE INDEX deleted_sessions_by_time ON deleted_sessions (deleted_at);
        INSERT OR IGNORE INTO deleted_sessions (id, workspace, deleted_at)
            SELECT session_id, workspace, MAX(changed_at) FROM changes WHERE kind = 'DELETED' GROUP BY session_id;
        """

    /// Each checkpoint remembers the compute environment whose backend holds its data,
    /// so that only that backend is asked to delete it (a session may move to another
    /// environment while paused; its earlier checkpoints stay where they were taken).
    private static let v5 = """
        ALTER TABLE checkpoints ADD COLUMN compute_environment TEXT;
        UPDATE checkpoints SET compute_environment =
            (SELECT compute_environment FROM sessions WHERE sessions.id = checkpoints.session_id);
        """

    /// The metered usage of sessions (``UsageMeter``): one row per interval in which a
    /// session held compute or storage at one rate, open while `ended_at` is NULL. Rows
    /// outlive their session, so that usage reports include deleted sessions. Sessions
    /// stored before this version are metered from the gateway's next start.
    private static let v6 = """
        CREATE TABLE usage_intervals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL,
            workspace TEXT NOT NULL,
            owner TEXT NOT NULL,
            session_name TEXT NOT NULL,
            resource TEXT NOT NULL,
            hourly_rate REAL NOT NULL,
            currency TEXT NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL
        );
        CREATE INDEX usage_by_session ON usage_intervals (session_id, ended_at);
        CREATE INDEX usage_by_workspace ON usage_intervals (workspace, started_at);
        """

    /// Each session's utilization samples (``UtilizationRecord`` JSON), kept for
    /// ``SessionStore/utilizationRetention`` and removed with their session.
    private static let v7 = """
        CREATE TABLE utilization_samples (
            session_id TEXT NOT NULL,
            time REAL NOT NULL,
            sample TEXT NOT NULL,
            PRIMARY KEY (session_id, time)
        ) WITHOUT ROWID;
        """

    /// When each idle signal of a running session last showed activity (``IdleTracker``),
    /// one row per signal; removed when the session stops running or is deleted.
    private static let v8 = """
        CREATE TABLE idle_marks (
            session_id TEXT NOT NULL,
            signal TEXT NOT NULL,
            last_active REAL NOT NULL,
            PRIMARY KEY (session_id, signal)
        ) WITHOUT ROWID;
        """

    /// Workspace secrets (``StoredSecret``): only their sealed values (``SecretVault``),
    /// never a value in the clear; removed with their workspace.
    private static let v9 = """
        CREATE TABLE secrets (
            workspace TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            environment_variable TEXT,
            sealed BLOB NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (workspace, name)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX secrets_by_variable ON secrets (workspace, environment_variable)
            WHERE environment_variable IS NOT NULL;
        """

    /// Who may do what: workspace members and their roles, API tokens (only their
    /// SHA-256 hashes), and the audit trail of mutating calls.
    private static let v3 = """
        CREATE TABLE members (
            workspace TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
            caller TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at REAL NOT NULL,
            PRIMARY KEY (workspace, caller)
        ) WITHOUT ROWID;
        CREATE INDEX members_by_caller ON members (caller, workspace);

        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY NOT NULL,
            caller TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL,
            created_at REAL NOT NULL,
            expires_at REAL,
            revoked_at REAL
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time REAL NOT NULL,
            caller TEXT NOT NULL,
            workspace TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            result TEXT NOT NULL
        );
        CREATE INDEX audit_log_by_workspace ON audit_log (workspace, id);
        """

    /// Fills `home_volume_bytes` from the specs of sessions stored before v2.
    static let backfillHomeVolumes =
        "UPDATE sessions SET home_volume_bytes = COALESCE(json_extract(spec, '$.homeVolume.new.sizeBytes'), 0)"

    private static let v1 = """
        CREATE TABLE store_meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );

        -- The one global revision counter: every change to a session bumps it.
        CREATE TABLE store_revision (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL
        );
        INSERT INTO store_revision (id, value) VALUES (1, 0);

        CREATE TABLE workspaces (
            id TEXT PRIMARY KEY NOT NULL,
            created_at REAL NOT NULL
        );

        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,
            workspace TEXT NOT NULL REFERENCES workspaces (id),
            name TEXT NOT NULL,
            owner TEXT NOT NULL,
            state TEXT NOT NULL,
            state_reason TEXT NOT NULL,
            compute_environment TEXT NOT NULL,
            cloned_from TEXT,
            handle TEXT,
            connection TEXT,          -- JSON of Session.Connection
            spec TEXT NOT NULL,       -- JSON of SessionSpec
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            revision INTEGER NOT NULL,
            UNIQUE (workspace, name)
        );
        CREATE INDEX sessions_by_created ON sessions (workspace, created_at, id);
        CREATE INDEX sessions_by_state ON sessions (state, workspace, created_at, id);
        CREATE INDEX sessions_by_owner ON sessions (workspace, owner, created_at, id);
        CREATE INDEX sessions_by_environment ON sessions (workspace, compute_environment, created_at, id);

        CREATE TABLE session_labels (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (session_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX session_labels_by_pair ON session_labels (key, value, session_id);

        CREATE TABLE data_links (
            id TEXT PRIMARY KEY NOT NULL,
            workspace TEXT NOT NULL REFERENCES workspaces (id),
            name TEXT NOT NULL,
            scheme TEXT NOT NULL,
            bucket TEXT NOT NULL,
            prefix TEXT NOT NULL,
            description TEXT NOT NULL,
            created_at REAL NOT NULL,
            UNIQUE (workspace, name)
        );
        CREATE INDEX data_links_by_created ON data_links (workspace, created_at, id);

        -- Which sessions mount which data-links (kept in step with the spec).
        CREATE TABLE session_data_links (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            data_link_id TEXT NOT NULL REFERENCES data_links (id),
            PRIMARY KEY (session_id, data_link_id)
        ) WITHOUT ROWID;
        CREATE INDEX session_data_links_by_link ON session_data_links (data_link_id);

        -- One row per revision, for watchers that resume.
        CREATE TABLE changes (
            revision INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            workspace TEXT NOT NULL,
            kind TEXT NOT NULL,
            snapshot TEXT,            -- JSON of Session; NULL for DELETED
            changed_at REAL NOT NULL
        );
        CREATE INDEX changes_by_workspace ON changes (workspace, revision);

        -- Checkpoints outlive their session while another session references them, so
        -- session_id has no foreign key. released_by is set, to the session whose
        -- deletion freed it, once no session references it: its data may be deleted.
        CREATE TABLE checkpoints (
            id TEXT PRIMARY KEY NOT NULL,
            session_id TEXT NOT NULL,
            workspace TEXT NOT NULL,
            name TEXT NOT NULL,
            trigger TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            location TEXT NOT NULL,
            created_at REAL NOT NULL,
            released_by TEXT,
            UNIQUE (session_id, name)
        );
        CREATE INDEX checkpoints_by_session ON checkpoints (session_id, created_at, id);
        CREATE INDEX checkpoints_released ON checkpoints (released_by) WHERE released_by IS NOT NULL;

        -- A clone references the checkpoint it started from.
        CREATE TABLE checkpoint_references (
            checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
            session_id TEXT NOT NULL,
            PRIMARY KEY (checkpoint_id, session_id)
        ) WITHOUT ROWID;
        CREATE INDEX checkpoint_references_by_session ON checkpoint_references (session_id);

        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            message TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT,
            time REAL NOT NULL
        );
        CREATE INDEX events_by_session ON events (session_id, id);
        """
}
