import BackendStorage
public import Logging
public import SessionSDK
import Foundation
import Glibc
import Synchronization

/// The embedded default backend: every session is a process group on this machine
/// with its own home directory.
///
/// A session's command runs in a new session (`setsid`) inside a bubblewrap sandbox:
/// its own user, mount, PID, IPC and UTS namespaces, as an unprivileged user (the
/// configured sandbox user when the gateway is root), with no capabilities and no new
/// privileges. It sees a read-only system (`/usr`, `/etc` and the like), its home at
/// `/workspace`, each data-link at `/workspace/data/<name>` (read-only ones refuse
/// writes), a private `/tmp`, and nothing else: not the gateway's data directory, not
/// other sessions' files, processes or environments. The command gets the request's
/// variables, `SESSION_PORT`, `SESSION_TOKEN`, `SESSION_ID` and `HOME=/workspace`
/// (the set-up before it sees none of the request's variables) and must serve on
/// 127.0.0.1:`$SESSION_PORT`; until it accepts connections the session is STARTING.
/// Sessions share the host's network namespace, so they can reach each other's
/// loopback ports; the gateway's proxy authenticates every connection it forwards.
///
/// Pause stops the processes (SIGTERM, the grace period, SIGKILL) and keeps the home;
/// resume starts the command again on the same home. Checkpoints are gzip'd tar
/// archives of the home without `data/`. The processes outlive the gateway, and a
/// new provider on the same root directory finds them again from their handles.
///
/// Requirements of the machine: `unshare`, `setsid`, `setpriv` and `mount` from
/// util-linux (2.38 or later), `bwrap` (bubblewrap), GNU `tar`, user namespaces that
/// unprivileged users may create, and a directory `/workspace` on the host, or the
/// right to create it: it is the mount point of every session's home.
///
/// ```swift
/// let provider = LocalProvider(
///     configuration: .defaults(dataDirectory: "/var/lib/sessiongw"),
///     logger: Logger(label: "sessiongw.local"))
/// let status = try await provider.createSession(request)   // STARTING
/// ```
public final class LocalProvider: SessionProvider {
    /// Where a session's home appears inside the session.
    public static let workspacePath = NamespaceScript.workspace

    /// The configuration, with directories made absolute.
    public let configuration: Configuration
    /// `local`.
    public let identity = ProviderIdentity(name: "local", version: "1.0.0")
    /// Pause and resume, checkpoints, clones, data-links, executing commands, and
    /// terminals when it has the session agent's executable.
    public var capabilities: Set<ProviderCapability> {
        let base: Set<ProviderCapability> = [.pauseResume, .checkpoints, .clone, .dataLinks, .execute, .environmentBuilds]
        return configuration.agentExecutable == nil ? base : base.union([.terminals])
    }

    let logger: Logger
    let layout: StorageLayout
    let tools: ToolPaths
    let dataLinkSources: DataLinkSources
    /// What sessions see of the host's system.
    let systemPaths: [SystemPath]
    /// Whom sessions run as on the host: the configured unprivileged user when the
    /// gateway is root, else nil (the gateway's own user).
    let sandboxUser: SandboxUser?
    /// The checkpoints' archives under `ROOT/checkpoints`.
    let checkpointArchives: CheckpointArchives
    /// Existing home volumes under `ROOT/volumes`.
    let homeVolumes: HomeVolumes
    /// Serializes create, pause, resume, delete and checkpoints per session.
    let sessionLocks = KeyedLock<String>()
    /// Ports handed to sessions of this provider that still hold them.
    let reservedPorts = Mutex<Set<Int>>([])
    /// What describing sessions with no process left says, until their state changes.
    let settledStatuses = SettledStatuses()

    /// Creates a provider; it touches nothing until it is called.
    ///
    /// - Parameters:
    ///   - configuration: where files go and how long to wait.
    ///   - logger: where the provider logs, at info and below, with `session.id` and
    ///     `backend.kind` metadata; never secret values.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration.normalized
        var logger = logger
        logger[metadataKey: "backend.kind"] = "local"
        self.logger = logger
        self.layout = StorageLayout(root: self.configuration.rootDirectory)
        self.tools = ToolPaths()
        self.dataLinkSources = DataLinkSources(
            bucketsDirectory: self.configuration.bucketsDirectory, fileRoots: self.configuration.fileLinkRoots)
        self.systemPaths = SystemPath.scan(self.configuration.systemPaths)
        self.sandboxUser = geteuid() == 0
            ? SandboxUser(uid: self.configuration.sandboxUserID, gid: self.configuration.sandboxGroupID) : nil
        let (layout, tar, environment) = (self.layout, self.tools.tar, self.configuration.baseEnvironment)
        self.checkpointArchives = CheckpointArchives(
            directory: layout.checkpointsDirectory, backend: "Local", logger: logger
        ) { arguments async throws(SessionError) -> ExecutionResult in
            try await ChildProcess.run(tar, arguments, environment: environment, scratchDirectory: layout.scratchDirectory, timeout: nil)
        }
        self.homeVolumes = HomeVolumes(directory: layout.volumesDirectory, backend: "Local")
    }

    /// Ready when the tools are installed, the root directory is writable,
    /// `/workspace` exists (or was just created) and a sandbox can be made. Never
    /// throws: a machine that cannot run sessions says why.
    public func probe() async throws -> ProviderReadiness {
        do {
            try checkMachine()
            let home = layout.scratchDirectory + "/probe-home"
            try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try await giveToSandboxUser(home)
            let script = NamespaceScript(
                tools: tools, home: home, mounts: [], hiddenDirectories: [configuration.rootDirectory],
                system: systemPaths, sandboxUser: sandboxUser)
            let check = try await ChildProcess.run(
                tools.unshare, script.unshareArguments(running: ["true"]), environment: configuration.baseEnvironment,
                input: SandboxArguments.environment(configuration.baseEnvironment),
                scratchDirectory: layout.scratchDirectory, timeout: .seconds(10))
            guard check.exitCode == 0 else {
                return ProviderReadiness(
                    ready: false,
                    message: "cannot make a session sandbox (exited with \(check.exitCode): "
                        + "\(check.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))); "
                        + "bubblewrap needs user namespaces that unprivileged users may create")
            }
            return ProviderReadiness(ready: true, message: "local sessions under \(configuration.rootDirectory)")
        } catch {
            return ProviderReadiness(ready: false, message: error.message)
        }
    }

    /// The session's state from its state file, its processes and its port.
    ///
    /// - Throws: `NOT_FOUND` when the session's directory is gone.
    public func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try observe(try sessionID(in: handle))
    }

    /// Every session directory under the root, described, including ones whose
    /// creation was interrupted (FAILED), so the gateway can find sessions it does not
    /// know.
    public func listSessions() async throws -> [ProviderSessionStatus] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.sessionsDirectory)) ?? []
        let snapshot = ProcessTable.Snapshot.take()  // one scan of /proc for all sessions
        let ids = names.sorted().filter { (try? StorageLayout.validateIdentifier($0, what: "session id")) != nil }
        settledStatuses.keep(only: Set(ids))
        return ids.compactMap { try? observe($0, snapshot: snapshot) }
    }

    /// Describes the session from its state file: its processes survive the gateway,
    /// so nothing needs restarting.
    ///
    /// - Throws: `NOT_FOUND` when nothing of the session is left.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let id = try sessionID(in: handle)
        let status = try observe(id)
        if status.state.holdsCompute, let record = try? loadRecord(layout.session(id)) {
            reservedPorts.withLock { $0.formUnion([record.port] + (record.agentPort.map { [$0] } ?? [])) }
        }
        logger.info("recovered session", metadata: ["session.id": "\(id)", "session.state": "\(status.state)"])
        return status
    }

    // MARK: Shared helpers

    /// The session id a handle encodes (the handle is the id).
    ///
    /// - Throws: `NOT_FOUND` for a handle this provider cannot have made.
    func sessionID(in handle: SessionHandle) throws(SessionError) -> String {
        guard (try? StorageLayout.validateIdentifier(handle.rawValue, what: "handle")) != nil else {
            throw SessionError(.notFound, "no Local session has the handle '\(handle.rawValue.prefix(200))'")
        }
        return handle.rawValue
    }

    /// The record, or nil when the state file does not exist.
    ///
    /// - Throws: `INTERNAL` when it exists but cannot be read.
    func loadRecord(_ paths: SessionPaths) throws(SessionError) -> SessionRecord? {
        guard FileManager.default.fileExists(atPath: paths.state) else { return nil }
        return try SessionRecord.load(from: paths.state)
    }

    /// The launcher's process id from the record, or from the pid file when the
    /// record does not have it yet.
    func leader(of record: SessionRecord?, _ paths: SessionPaths) -> (pid: pid_t, startTicks: UInt64?)? {
        if let pid = record?.pid { return (pid, record?.pidStartTicks) }
        guard let text = try? String(contentsOfFile: paths.pid, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return nil }
        return (pid, nil)
    }

    /// Gathers the facts about a session and decides its status; `snapshot` saves
    /// scanning `/proc` again when describing many sessions. A session with no process
    /// left is described from ``settledStatuses`` while its state file is unchanged.
    func observe(_ id: String, snapshot: ProcessTable.Snapshot? = nil) throws(SessionError) -> ProviderSessionStatus {
        let handle = SessionHandle(rawValue: id)
        let paths = layout.session(id)
        guard Self.isDirectory(paths.directory) else {
            throw SessionError(.notFound, "the Local backend has no session '\(id)' (its directory is gone)")
        }
        let busy = sessionLocks.isHeld(id)
        let stamp = busy ? nil : SettledStatuses.Stamp(path: paths.state)
        if let stamp, let settled = settledStatuses.status(of: id, stamp: stamp) { return settled }
        let record: SessionRecord
        do {
            guard let stored = try loadRecord(paths) else {
                return busy
                    ? ProviderSessionStatus(sessionID: SessionID(rawValue: id), handle: handle, state: .pending, reason: "creating the session")
                    : ProviderSessionStatus(
                        sessionID: SessionID(rawValue: id), handle: handle, state: .failed,
                        reason: "the session's creation was interrupted before it was recorded; delete the session")
            }
            record = stored
        } catch {
            return ProviderSessionStatus(sessionID: SessionID(rawValue: id), handle: handle, state: .failed, reason: error.message)
        }
        let leader = leader(of: record, paths)
        let running = leader.map {
            ProcessTable.isRunning(leader: $0.pid, leaderStartTicks: $0.startTicks, snapshot: snapshot)
        } ?? false
        if !running, let leader, let entry = ProcessTable.entry(pid: leader.pid), !entry.isLive, entry.parent == getpid() {
            ProcessTable.reapAdoptedZombies(leader: leader.pid, leaderStartTicks: leader.startTicks)  // only when the gateway is PID 1 or a subreaper
        }
        let exitStatus = running ? nil : (try? String(contentsOfFile: paths.exitStatus, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        var observation = SessionObservation(
            record: record, processesRunning: running,
            portAccepts: running && record.goal == .running && LoopbackPort.accepts(port: record.port),
            exitStatus: exitStatus, logTail: "", logPath: paths.log, launching: busy && record.pid == nil,
            now: Date().timeIntervalSince1970, readinessTimeout: configuration.readinessTimeout.inSeconds)
        if record.environmentKey != nil, record.goal == .running {
            let build = environmentBuildFacts(of: record, paths)
            observation.building = build.building && running
            if let code = build.exitStatus, code != 0 {
                observation.buildFailure = EnvironmentBuild.failureReason(
                    log: LogTail.read(paths.buildLog, lines: 40), exitStatus: code)
            }
        }
        if observation.status(handle: handle).state == .failed {
            observation.logTail = LogTail.read(paths.log, lines: configuration.failureLogLines)
        }
        let status = observation.status(handle: handle)
        if let stamp, !running {
            settledStatuses.remember(status, of: id, stamp: stamp)
        }
        return status
    }

    /// Checks what every operation needs: the tools, the root directory and the
    /// `/workspace` mount point (created when missing).
    ///
    /// - Throws: `FAILED_PRECONDITION` saying what to install or create.
    func checkMachine() throws(SessionError) {
        guard tools.missing.isEmpty else {
            throw SessionError(
                .failedPrecondition,
                "the Local backend needs \(tools.missing.joined(separator: ", ")) (util-linux, bubblewrap, GNU tar) on this machine; "
                    + "install them")
        }
        for directory in [layout.sessionsDirectory, layout.checkpointsDirectory, layout.scratchDirectory] {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SessionError(
                    .failedPrecondition, "the Local backend cannot create \(directory); make the data directory writable", cause: error)
            }
        }
        if !Self.isDirectory(Self.workspacePath) {
            do {
                try FileManager.default.createDirectory(
                    atPath: Self.workspacePath, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
            } catch {
                guard !Self.isDirectory(Self.workspacePath) else { return }
                throw SessionError(
                    .failedPrecondition,
                    "the Local backend mounts each session's home at \(Self.workspacePath), which does not exist and cannot be "
                        + "created by this user; create it once (sudo mkdir \(Self.workspacePath))",
                    cause: error)
            }
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
