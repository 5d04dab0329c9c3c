import BackendStorage
import Foundation
import Glibc
import Logging
import SessionSDK
import Synchronization

extension LocalProvider {
    /// Starts the session's command and records its process id. With the request's
    /// agent token (and the agent's executable), the session agent starts first and
    /// supervises the command: it listens on a port of its own on 127.0.0.1, keeps its
    /// terminals under the home, and has the token in its environment alone.
    func launch(_ record: inout SessionRecord, for request: ProviderSessionRequest, paths: SessionPaths) async throws(SessionError) {
        unlink(paths.pid)
        unlink(paths.exitStatus)
        record.goal = .running
        record.port = try reservePort()
        let agentToken = configuration.agentExecutable == nil ? nil : request.agentToken
        record.agentPort = agentToken == nil ? nil : try reservePort()
        record.basePath = Preset.basePath(in: request.environment)
        record.pid = nil
        record.pidStartTicks = nil
        record.startedAt = Date().timeIntervalSince1970
        try record.save(to: paths.state)

        var variables = configuration.baseEnvironment.merging(request.environment) { _, requested in requested }
        if record.environmentKey != nil {
            variables = EnvironmentBuild.sessionVariables(variables)
            try await prepareEnvironmentBuild(of: record, paths: paths)
        }
        variables["SESSION_PORT"] = String(record.port)
        variables["SESSION_TOKEN"] = record.token
        variables["SESSION_ID"] = record.sessionID
        variables["HOME"] = Self.workspacePath
        var command = request.command
        if let agentToken, let agentPort = record.agentPort {
            variables[SessionAgentLaunch.tokenVariable] = agentToken
            command = SessionAgentLaunch.command(
                executable: SessionAgentLaunch.sandboxPath, listen: "127.0.0.1:\(agentPort)", home: Self.workspacePath,
                running: command)
        }
        try await giveToSandboxUser(record.home)
        for mount in record.mounts where !mount.readOnly && isEmulatedBucket(mount.source) {
            try await giveToSandboxUser(mount.source)
        }
        let launcherArguments = [
            "--fork", tools.shell, "-c",
            NamespaceScript.launcherScript(pidFile: paths.pid, exitStatusFile: paths.exitStatus), "session-launcher",
            tools.unshare,
        ] + namespace(for: record, launching: true).unshareArguments(running: command)
        // The launcher and the set-up see only the base environment; the sandbox reads
        // the command's variables from standard input.
        let launcher = try ChildProcess.spawn(
            tools.setsid, launcherArguments, environment: configuration.baseEnvironment,
            input: SandboxArguments.environment(variables),
            standardOutput: .file(paths.log, append: true), standardError: .file(paths.log, append: true))
        let ended = try await launcher.waitForExit(timeout: .seconds(10))
        guard ended == .exited(0) else {
            throw SessionError(.internalError, "setsid could not start session '\(record.sessionID)' (\(ended)); see \(paths.log)")
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        while true {
            if let (pid, _) = leader(of: nil, paths) {
                record.pid = pid
                record.pidStartTicks = ProcessTable.entry(pid: pid)?.startTicks
                break
            }
            guard clock.now < deadline else {
                throw SessionError(.unavailable, "session '\(record.sessionID)' did not start within 10 s; see \(paths.log)")
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        try record.save(to: paths.state)
        logger.info(
            "started session",
            metadata: [
                "session.id": "\(record.sessionID)", "session.pid": "\(record.pid ?? 0)", "session.port": "\(record.port)",
                "session.dataLinks": "\(record.mounts.count)", "session.agentPort": "\(record.agentPort ?? 0)",
                "session.environment": "\(request.environment.keys.sorted().joined(separator: ","))",  // names only, never values
            ])
    }

    /// Stops every process of the session: SIGTERM, up to `grace`, then SIGKILL.
    ///
    /// - Returns: whether they are all gone (a process stuck in the kernel may
    ///   outlive SIGKILL for a while; the session then stays PAUSING).
    @discardableResult
    func stopProcesses(of record: SessionRecord?, _ paths: SessionPaths, grace: Duration) async -> Bool {
        guard let (pid, startTicks) = leader(of: record, paths) else { return true }
        defer { ProcessTable.reapAdoptedZombies(leader: pid, leaderStartTicks: startTicks) }
        var members = ProcessTable.liveMembers(leader: pid, leaderStartTicks: startTicks)
        let clock = ContinuousClock()
        for (signal, wait) in [(SIGTERM, grace), (SIGKILL, Duration.seconds(10))] where !members.isEmpty {
            ProcessTable.signalSession(leader: pid, members: members, signal: signal)
            let deadline = clock.now.advanced(by: wait)
            while !members.isEmpty {
                members = ProcessTable.liveMembers(leader: pid, leaderStartTicks: startTicks)
                guard !members.isEmpty, clock.now < deadline else { break }
                do { try await Task.sleep(for: .milliseconds(20)) } catch { break }  // cancelled: go straight to SIGKILL
            }
        }
        guard members.isEmpty else {
            logger.info(
                "session processes did not exit after SIGKILL",
                metadata: ["session.id": "\(record?.sessionID ?? paths.directory)", "session.pids": "\(members.map(\.pid))"])
            return false
        }
        return true
    }

    /// The namespace script for a session; for a launch (`launching`), with the build
    /// of its environment when the cache lacks it, else with the environment only when
    /// it is cached.
    func namespace(for record: SessionRecord, launching: Bool = false) -> NamespaceScript {
        var environment = environmentStage(of: record)
        if !launching, let stage = environment {
            environment?.buildsWhenMissing = false
            if !Self.isDirectory(stage.cacheDirectory) { environment = nil }
        }
        return NamespaceScript(
            tools: tools, home: record.home, mounts: record.mounts,
            hiddenDirectories: [configuration.rootDirectory, configuration.bucketsDirectory] + configuration.hiddenDirectories,
            system: systemPaths, sandboxUser: sandboxUser,
            agentExecutable: record.agentPort == nil ? nil : configuration.agentExecutable,
            environment: environment)
    }

    /// Hands the session's ports back.
    func releasePorts(of record: SessionRecord) {
        _ = reservedPorts.withLock { ports in
            ports.remove(record.port)
            if let agentPort = record.agentPort { ports.remove(agentPort) }
        }
    }

    /// Gives `directory` and everything in it to the sandbox user (when the gateway is
    /// root and the directory is not the sandbox user's yet: a new or restored home, a
    /// bucket's first use), so that the session can write its home and writable
    /// buckets. Symbolic links are changed themselves, never followed; no session
    /// process runs while this happens.
    ///
    /// - Throws: `INTERNAL` when `chown` fails.
    func giveToSandboxUser(_ directory: String) async throws(SessionError) {
        guard let sandboxUser else { return }
        var info = stat()
        if lstat(directory, &info) == 0, info.st_uid == sandboxUser.uid { return }
        let result = try await ChildProcess.run(
            tools.chown, ["-R", "-P", "\(sandboxUser.uid):\(sandboxUser.gid)", "--", directory],
            environment: configuration.baseEnvironment, scratchDirectory: layout.scratchDirectory, timeout: .seconds(120))
        guard result.exitCode == 0 else {
            throw SessionError(
                .internalError,
                "cannot give \(directory) to the sandbox user \(sandboxUser.uid): \(result.errorOutput.prefix(300))")
        }
    }

    /// Whether `path` (resolved) is an emulated bucket's directory.
    func isEmulatedBucket(_ path: String) -> Bool {
        guard let real = realpath(configuration.bucketsDirectory, nil) else { return false }
        defer { free(real) }
        let buckets = String(cString: real)
        return path.hasPrefix(buckets + "/")
    }

    /// A port for a session: free now, and not handed to another session of this
    /// provider that may not be listening yet.
    func reservePort() throws(SessionError) -> Int {
        for _ in 0..<32 {
            let port = try LoopbackPort.free()
            if reservedPorts.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw SessionError(.resourceExhausted, "no free TCP port on 127.0.0.1 for a session")
    }

    /// 32 random bytes as hex, from the system's secure generator.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
    }
}
