import Foundation
import Synchronization
public import SessionSDK

extension KubernetesProvider {
    /// The session's state from its StatefulSet, pod, home claim and Events (see
    /// ``PodObservation``).
    ///
    /// - Throws: `NOT_FOUND` when the session's StatefulSet is gone.
    public func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try await observe(try KubeHandle(handle))
    }

    /// Re-attaches from a handle: everything is in the cluster, so this is describing
    /// it (the session's token is read again from its Secret when needed).
    ///
    /// - Throws: `NOT_FOUND` when the session's StatefulSet is gone.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try await observe(try KubeHandle(handle))
    }

    /// The status of a session.
    func observe(_ handle: KubeHandle) async throws -> ProviderSessionStatus {
        let names = handle.names
        let what = "describing session '\(handle.sessionID)'"
        guard var first = try await client.get(.statefulSets, namespace: handle.namespace, name: names.statefulSet, what: what) else {
            throw gone(handle)
        }
        try requireOwnership(first, handle)
        if Self.awaitedBuild(of: first) != nil {
            if let waiting = try await buildStatus(of: handle, statefulSet: first) { return waiting }
            // Built: scaled to one replica just now.
            first = try await client.get(.statefulSets, namespace: handle.namespace, name: names.statefulSet, what: what) ?? first
        }
        let pod = try await client.get(.pods, namespace: handle.namespace, name: names.pod, what: what)
        let statefulSet = try await settled(first, pod: pod, handle: handle, what: what)
        var observation = PodObservation(statefulSet: statefulSet, pod: pod, homeClaim: nil, events: [])
        if observation.state.0 == .pending, pod != nil {
            // Progress and reasons come from Events and the home claim.
            let claimName = Self.homeClaim(of: statefulSet) ?? names.homeClaim
            observation.homeClaim = try await client.get(.persistentVolumeClaims, namespace: handle.namespace, name: claimName, what: what)
            var events = try await client.list(
                .events, namespace: handle.namespace, fieldSelector: "involvedObject.name=\(names.pod)", what: what).items
            if observation.homeClaim?["status"]["phase"].string != "Bound" {
                events += try await client.list(
                    .events, namespace: handle.namespace, fieldSelector: "involvedObject.name=\(claimName)", what: what).items
            }
            observation.events = PodObservation.sorted(events.filter { Self.isCurrent($0, pod: pod) })
        }
        return try await status(of: handle, observation: observation)
    }

    /// The StatefulSet read again when the pod, read after it, is gone or stopping while
    /// the StatefulSet still asks for a running replica: a pause that lands between the
    /// two reads would otherwise look like a restart (PENDING) between RUNNING and
    /// PAUSING. A real restart reads the same again.
    func settled(_ statefulSet: KubeObject, pod: KubeObject?, handle: KubeHandle, what: String) async throws -> KubeObject {
        let stopping = pod == nil || pod?["metadata"]["deletionTimestamp"].string != nil
        guard stopping, (statefulSet["spec"]["replicas"].int ?? 1) > 0,
              statefulSet["metadata"]["annotations"][KubeNames.pausedAnnotation].string != "true"
        else { return statefulSet }
        return try await client.get(.statefulSets, namespace: handle.namespace, name: handle.names.statefulSet, what: what)
            ?? statefulSet
    }

    /// Whether an Event is about the current pod (and not an earlier pod of the same name).
    static func isCurrent(_ event: KubeObject, pod: KubeObject?) -> Bool {
        guard event["involvedObject"]["kind"].string == "Pod" else { return true }
        guard let uid = event["involvedObject"]["uid"].string, let podUID = pod?["metadata"]["uid"].string else { return true }
        return uid == podUID
    }

    /// The status for an observation, with the connection when RUNNING.
    func status(of handle: KubeHandle, observation: PodObservation) async throws -> ProviderSessionStatus {
        let (state, reason) = observation.state
        var status = ProviderSessionStatus(sessionID: handle.sessionID, handle: handle.handle, state: state, reason: reason)
        guard state == .running, let pod = observation.pod else { return status }
        let host: String
        switch configuration.connectionAddress {
        case .service:
            host = "\(handle.names.service).\(handle.namespace).svc.\(configuration.clusterDomain)"
        case .podIP:
            guard let ip = pod["status"]["podIP"].string, !ip.isEmpty else {
                status.state = .starting
                status.reason = "the session's pod has no IP address yet"
                return status
            }
            host = ip.contains(":") ? "[\(ip)]" : ip
        }
        let token = try await token(of: handle)
        let agent = pod["spec"]["initContainers"].array.contains { $0["name"].string == SessionObjects.agentVolume }
        status.connection = Session.Connection(
            url: "http://\(host):\(configuration.sessionPort)\(Self.basePath(of: pod) ?? "/")?token=\(token)", accessToken: token,
            agentAddress: agent ? "\(host):\(configuration.agentPort)" : nil)
        if let deadline = pod["spec"]["activeDeadlineSeconds"].int, let started = pod["status"]["startTime"].string,
           let start = Self.parseTime(started) {
            let left = start.timeIntervalSince1970 + Double(deadline) - Date().timeIntervalSince1970
            status.timeLeft = .milliseconds(Int64(max(0, left) * 1000))
        }
        return status
    }

    /// The path the IDE of `pod` serves under: its session container's
    /// `SESSION_BASE_URL` (``Preset/basePath(in:)``); nil for `/`.
    static func basePath(of pod: KubeObject) -> String? {
        let container = pod["spec"]["containers"].array.first { $0["name"].string == "session" }
        let variable = container?["env"].array.first { $0["name"].string == Preset.baseURLVariable }
        return variable?["value"].string.flatMap { Preset.basePath(in: [Preset.baseURLVariable: $0]) }
    }

    /// The session's token, from its Secret (cached).
    func token(of handle: KubeHandle) async throws -> String {
        if let token = tokens.withLock({ $0[handle.sessionID] }) { return token }
        let secret = try await client.get(.secrets, namespace: handle.namespace, name: handle.names.secret, what: "reading the token of session '\(handle.sessionID)'")
        guard let encoded = secret?["data"]["token"].string, let data = Data(base64Encoded: encoded) else { return "" }
        let token = String(decoding: data, as: UTF8.self)
        tokens.withLock { $0[handle.sessionID] = token }
        return token
    }

    /// An RFC 3339 time such as `2026-01-02T03:04:05Z`.
    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    // MARK: List

    /// Every session of this gateway instance in the namespace: each StatefulSet with
    /// the instance label, and, as `UNKNOWN` with a reason, sessions of which only other
    /// objects remain (claims, Services, Secrets, data-link volumes no StatefulSet owns),
    /// so the gateway can delete them.
    public func listSessions() async throws -> [ProviderSessionStatus] {
        let selector = SessionObjects.instanceSelector(configuration.instance)
        let what = "listing sessions"
        let statefulSets = try await client.list(.statefulSets, namespace: namespace, labelSelector: selector, what: what).items
        let pods = try await client.list(.pods, namespace: namespace, labelSelector: selector, what: what).items
        var podsByName: [String: KubeObject] = [:]
        for pod in pods { if let name = pod["metadata"]["name"].string { podsByName[name] = pod } }
        var statuses: [ProviderSessionStatus] = []
        var slugs: Set<String> = []
        for statefulSet in statefulSets {
            guard let id = statefulSet["metadata"]["annotations"][KubeNames.sessionIDAnnotation].string else { continue }
            let handle = KubeHandle(namespace: namespace, sessionID: SessionID(rawValue: id))
            guard statefulSet["metadata"]["name"].string == handle.names.statefulSet else { continue }
            slugs.insert(handle.names.slug)
            if Self.awaitedBuild(of: statefulSet) != nil {
                statuses.append(try await observe(handle))
                continue
            }
            let pod = podsByName[handle.names.pod]
            let current = try await settled(statefulSet, pod: pod, handle: handle, what: what)
            let observation = PodObservation(statefulSet: current, pod: pod, homeClaim: nil, events: [])
            statuses.append(try await status(of: handle, observation: observation))
        }
        var orphans: [String: SessionID] = [:]
        for resource in [KubeResource.persistentVolumeClaims, .services, .secrets] {
            for object in try await client.list(resource, namespace: namespace, labelSelector: selector, what: what).items {
                Self.collectOrphan(object, known: slugs, into: &orphans)
            }
        }
        for volume in try await client.list(.persistentVolumes, namespace: nil, labelSelector: selector, what: what).items
        where volume["metadata"]["annotations"]["sessiongw.io/namespace"].string == namespace {
            Self.collectOrphan(volume, known: slugs, into: &orphans)
        }
        for (_, id) in orphans.sorted(by: { $0.key < $1.key }) {
            let handle = KubeHandle(namespace: namespace, sessionID: id)
            statuses.append(ProviderSessionStatus(
                sessionID: id, handle: handle.handle, state: .unknown,
                reason: "objects of this backend remain for the session without its StatefulSet; no session owns them"))
        }
        return statuses.sorted { $0.sessionID < $1.sessionID }
    }

    /// Records an object's session when no StatefulSet of it was listed.
    private static func collectOrphan(_ object: KubeObject, known: Set<String>, into orphans: inout [String: SessionID]) {
        let metadata = object["metadata"]
        guard metadata["deletionTimestamp"].isNull,
              let slug = metadata["labels"][KubeNames.sessionLabel].string, !known.contains(slug),
              let id = metadata["annotations"][KubeNames.sessionIDAnnotation].string,
              KubeNames(sessionID: SessionID(rawValue: id)).slug == slug else { return }
        orphans[slug] = SessionID(rawValue: id)
    }
}
