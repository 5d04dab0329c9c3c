import BackendStorage
import Foundation
import Logging
import NIOHTTP1
public import SessionSDK

/// Custom environments on Kubernetes (capability ENVIRONMENT_BUILDS, with
/// ``Configuration/environmentCacheClaim``): a build Job per environment attempt
/// (``SessionObjects/buildJob(key:name:)``), shared by sessions of the same image and
/// packages; a session waits for its Job at zero replicas (BUILDING), is scaled to one
/// replica by the observation that finds the Job Complete, and is BUILD_FAILED when the
/// Job failed.
extension KubernetesProvider {
    /// What became of a build Job.
    enum BuildOutcome: Equatable {
        case running
        case complete
        /// Failed, with the condition's reason and message.
        case failed(reason: String, message: String)
    }

    /// The outcome of a Job, from its conditions.
    static func buildOutcome(of job: KubeObject) -> BuildOutcome {
        for condition in job["status"]["conditions"].array where condition["status"].string == "True" {
            switch condition["type"].string {
            case "Complete": return .complete
            case "Failed": return .failed(reason: condition["reason"].string ?? "", message: condition["message"].string ?? "")
            default: continue
            }
        }
        return .running
    }

    /// The build Job a new session of `objects` waits on: a Complete build of the same
    /// environment (the cache), else one still running, else a new one (a failed build
    /// is tried again by the next session that asks). Nil without packages.
    func environmentJob(for objects: SessionObjects) async throws -> String? {
        guard let key = objects.environmentKey else { return nil }
        let what = "finding the builds of the environment of session '\(objects.request.sessionID)'"
        let selector = SessionObjects.instanceSelector(configuration.instance)
            + ",\(KubeNames.environmentLabel)=\(SessionObjects.environmentLabel(key))"
        let builds = try await client.list(.jobs, namespace: namespace, labelSelector: selector, what: what).items.filter {
            $0["metadata"]["annotations"][KubeNames.environmentKeyAnnotation].string == key && $0["metadata"]["deletionTimestamp"].isNull
        }
        for wanted in [BuildOutcome.complete, .running] {
            if let build = builds.first(where: { Self.buildOutcome(of: $0) == wanted }), let name = build["metadata"]["name"].string {
                return name
            }
        }
        let name = SessionObjects.newBuildJobName(key: key)
        _ = try await client.create(.jobs, namespace: namespace, objects.buildJob(key: key, name: name), what: what)
        logger.info("environment build started", metadata: ["session.id": "\(objects.request.sessionID)", "k8s.job": "\(name)"])
        return name
    }

    /// The build Job a StatefulSet waits for: it names one, and is at zero replicas
    /// without being paused.
    static func awaitedBuild(of statefulSet: KubeObject) -> String? {
        guard statefulSet["spec"]["replicas"].int == 0,
              statefulSet["metadata"]["annotations"][KubeNames.pausedAnnotation].string != "true",
              statefulSet["metadata"]["deletionTimestamp"].isNull
        else { return nil }
        return statefulSet["metadata"]["annotations"][KubeNames.environmentJobAnnotation].string
    }

    /// The status of a session waiting for its build: BUILDING while the Job runs,
    /// BUILD_FAILED when it failed (or is gone; the reason is then kept on the
    /// StatefulSet, so later observations read nothing else). When it is Complete, the StatefulSet is
    /// scaled to one replica and nil returned: the session starts.
    func buildStatus(of handle: KubeHandle, statefulSet: KubeObject) async throws -> ProviderSessionStatus? {
        guard let name = Self.awaitedBuild(of: statefulSet) else { return nil }
        let what = "reading the environment build of session '\(handle.sessionID)'"
        func status(_ state: SessionState, _ reason: String) -> ProviderSessionStatus {
            ProviderSessionStatus(sessionID: handle.sessionID, handle: handle.handle, state: state, reason: reason)
        }
        if let failure = statefulSet["metadata"]["annotations"][KubeNames.buildFailureAnnotation].string {
            return status(.buildFailed, failure)
        }
        guard let job = try await client.get(.jobs, namespace: handle.namespace, name: name, what: what) else {
            return status(.buildFailed, "the environment's build Job '\(name)' is gone; delete the session and create it again")
        }
        switch Self.buildOutcome(of: job) {
        case .running:
            let count = job["metadata"]["annotations"]["sessiongw.io/packages"].string?.split(separator: " ").count ?? 0
            return status(.building, "building the environment: installing \(count) package\(count == 1 ? "" : "s") in Job '\(name)' (see the build log)")
        case .failed(let reason, let message):
            let failure: String
            if reason == "DeadlineExceeded" {
                failure = "the environment build took longer than \(configuration.environmentBuildTimeoutSeconds) s "
                    + "(the kubernetes setting environmentBuildTimeoutSeconds); \(message)"
            } else {
                let (log, exitCode) = try await buildOutput(of: name, namespace: handle.namespace, what: what)
                failure = EnvironmentBuild.failureReason(log: log, exitStatus: exitCode)
            }
            _ = try await client.update(.statefulSets, namespace: handle.namespace, name: handle.names.statefulSet, what: what) { object in
                object["metadata"]["annotations"][KubeNames.buildFailureAnnotation] = .string(failure)
                return true
            }
            return status(.buildFailed, failure)
        case .complete:
            _ = try await client.update(.statefulSets, namespace: handle.namespace, name: handle.names.statefulSet, what: what) { object in
                guard Self.awaitedBuild(of: object) == name else { return false }
                object["spec"]["replicas"] = 1
                return true
            }
            logger.info("environment built; starting the session", metadata: ["session.id": "\(handle.sessionID)", "k8s.job": "\(name)"])
            return nil
        }
    }

    /// The lines of the session's environment build log from line `from` on: the log of
    /// its build Job's pod.
    ///
    /// - Throws: `NOT_FOUND` when the session is gone, `UNIMPLEMENTED` without
    ///   ``Configuration/environmentCacheClaim``.
    public func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        guard capabilities.contains(.environmentBuilds) else {
            throw Self.unimplemented("custom environments (set environmentCacheClaim)", capability: .environmentBuilds)
        }
        let parsed = try KubeHandle(handle)
        let what = "reading the build log of session '\(parsed.sessionID)'"
        guard let statefulSet = try await client.get(.statefulSets, namespace: parsed.namespace, name: parsed.names.statefulSet, what: what) else {
            throw gone(parsed)
        }
        try requireOwnership(statefulSet, parsed)
        guard line >= 0, let name = statefulSet["metadata"]["annotations"][KubeNames.environmentJobAnnotation].string else { return [] }
        var lines = try await buildOutput(of: name, namespace: parsed.namespace, what: what).log
            .split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // the line being written (empty after a final newline)
        guard line < lines.count else { return [] }
        return lines[line...].prefix(Self.buildLogPageSize).map { String($0.prefix(2000)) }
    }

    /// The log of a build Job's (latest) pod and its exit code once it ended; empty
    /// before the pod runs.
    func buildOutput(of job: String, namespace: String, what: String) async throws -> (log: String, exitCode: Int32?) {
        let pods = try await client.list(.pods, namespace: namespace, labelSelector: "job-name=\(job)", what: what).items
        guard let pod = pods.max(by: { ($0["metadata"]["creationTimestamp"].string ?? "") < ($1["metadata"]["creationTimestamp"].string ?? "") }),
              let name = pod["metadata"]["name"].string
        else { return ("", nil) }
        let exitCode = pod["status"]["containerStatuses"].array.first?["state"]["terminated"]["exitCode"].int.map { Int32(clamping: $0) }
        do {
            let response = try await client.send(
                .GET, KubeResource.pods.path(namespace: namespace, name: name, subresource: "log"),
                query: [("limitBytes", "\(8 << 20)")], idempotent: true, what: what)
            return (String(decoding: response.body, as: UTF8.self), exitCode)
        } catch let error as KubeAPIError where error.isNotFound || error.code == 400 {
            return ("", exitCode)  // gone, or its container has not started
        }
    }
}
