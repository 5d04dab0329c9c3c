public import SessionSDK

extension KubernetesProvider {
    /// Runs a command in the session's container through the `pods/exec` WebSocket
    /// subresource (see ``ExecChannel``), in the home directory, and returns its exit
    /// code and output.
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted, `FAILED_PRECONDITION` when its
    ///   container is not running (paused, starting, failed), `DEADLINE_EXCEEDED` after
    ///   ``Configuration/executeTimeout``, `UNAVAILABLE` when the API server cannot be reached.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        let parsed = try KubeHandle(handle)
        guard !command.isEmpty else { throw SessionError(.invalidArgument, "the command to execute is empty") }
        let what = "executing a command in session '\(parsed.sessionID)'"
        guard try await client.get(.statefulSets, namespace: parsed.namespace, name: parsed.names.statefulSet, what: what) != nil else {
            throw gone(parsed)
        }
        let pod = try await client.get(.pods, namespace: parsed.namespace, name: parsed.names.pod, what: what)
        let running = pod?["status"]["containerStatuses"].array.contains { $0["name"].string == "session" && !$0["state"]["running"].isNull } ?? false
        guard let pod, running, pod["metadata"]["deletionTimestamp"].isNull else {
            throw SessionError(.failedPrecondition, "session '\(parsed.sessionID)' has no running container to execute in; resume it or wait until it is RUNNING")
        }
        var query: [(String, String)] = command.map { ("command", $0) }
        query += [("container", "session"), ("stdout", "true"), ("stderr", "true")]
        let path = KubeResource.pods.path(namespace: parsed.namespace, name: parsed.names.pod, subresource: "exec") + KubeClient.encode(query)
        let outcome: ExecChannel.Outcome
        do {
            outcome = try await ExecChannel.run(credentials: client.credentials, pathAndQuery: path, timeout: configuration.executeTimeout)
        } catch let error as SessionError {
            throw error
        } catch let error as KubeAPIError {
            throw error.sessionError(what)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw client.unreachable(what, error)
        }
        let output = String(decoding: outcome.output, as: UTF8.self)
        var errorOutput = String(decoding: outcome.errorOutput, as: UTF8.self)
        guard let status = outcome.status else {
            throw SessionError(.unavailable, "\(what): the exec stream ended without the command's status; retry")
        }
        guard let code = ExecChannel.exitCode(of: status) else {
            // The command could not start (not found, not executable): as a shell reports it.
            errorOutput += status["message"].string ?? "the command could not be started"
            return ExecutionResult(exitCode: 127, output: output, errorOutput: errorOutput)
        }
        return ExecutionResult(exitCode: code, output: output, errorOutput: errorOutput)
    }
}
