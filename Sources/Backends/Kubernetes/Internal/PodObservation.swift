import SessionSDK

/// How a session's StatefulSet, pod, home claim and their Events map to a canonical
/// state and a reason people can act on. A pure function of what the API returned, so
/// the mapping is tested table by table.
///
/// | StatefulSet | pod | state |
/// |---|---|---|
/// | being deleted | — | DELETING |
/// | replicas 0, paused | present | PAUSING |
/// | replicas 0, paused | gone | PAUSED |
/// | replicas 0, not paused (a create in progress) | — | PENDING |
/// | replicas 1 | none yet, or being replaced | PENDING |
/// | replicas 1 | unschedulable | PENDING, with the scheduler's reason |
/// | replicas 1 | home claim not bound | PENDING, with the claim's Event |
/// | replicas 1 | image pulling, container creating | PENDING, with the latest Event |
/// | replicas 1 | image cannot be pulled (`ErrImagePull`, `ImagePullBackOff`, `InvalidImageName`) | FAILED, with the reason |
/// | replicas 1 | container config error, crash loop, pod Failed/Succeeded | FAILED, with exit code and message |
/// | replicas 1 | running, not Ready | STARTING |
/// | replicas 1 | Ready | RUNNING |
struct PodObservation: Sendable {
    /// The StatefulSet.
    var statefulSet: KubeObject
    /// The session's pod, if any.
    var pod: KubeObject?
    /// The home claim (nil when unknown or not the backend's).
    var homeClaim: KubeObject?
    /// Events of the pod and the home claim, oldest first.
    var events: [KubeObject]

    /// Container waiting reasons that mean the image cannot be had.
    static let imageFailures: Set<String> = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]
    /// Container waiting reasons that mean the container cannot run as configured.
    static let configurationFailures: Set<String> = [
        "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "CrashLoopBackOff",
    ]

    /// The state and reason.
    var state: (SessionState, String) {
        if statefulSet["metadata"]["deletionTimestamp"].string != nil {
            return (.deleting, "the session's StatefulSet is being deleted")
        }
        let replicas = statefulSet["spec"]["replicas"].int ?? 1
        let paused = statefulSet["metadata"]["annotations"][KubeNames.pausedAnnotation].string == "true"
        if replicas == 0 {
            if !paused { return (.pending, "creating the session's objects") }
            if pod != nil { return (.pausing, "stopping the session's pod; its volumes are kept") }
            return (.paused, "paused: the pod is stopped and the home volume is kept")
        }
        if paused {
            return (.pending, "resuming")
        }
        guard let pod else {
            return (.pending, "waiting for the StatefulSet controller to create the session's pod")
        }
        if pod["metadata"]["deletionTimestamp"].string != nil {
            return (.pending, "the session's previous pod is stopping; a new one will start")
        }
        let status = pod["status"]
        let phase = status["phase"].string ?? "Pending"
        let container = status["containerStatuses"].array.first { $0["name"].string == "session" } ?? status["containerStatuses"].array.first
        if let waiting = container?["state"]["waiting"], let reason = waiting["reason"].string {
            let message = waiting["message"].string ?? ""
            let image = pod["spec"]["containers"].array.first?["image"].string ?? "?"
            if Self.imageFailures.contains(reason) {
                return (.failed, "the image '\(image)' cannot be pulled (\(reason))" + (message.isEmpty ? "" : ": \(message.prefix(400))"))
            }
            if Self.configurationFailures.contains(reason) {
                var text = "the session's container cannot run (\(reason))"
                if let terminated = container?["lastState"]["terminated"], !terminated.isNull {
                    text += ": it exited with code \(terminated["exitCode"].int ?? -1)"
                    if let detail = terminated["message"].string ?? terminated["reason"].string { text += " (\(detail.prefix(300)))" }
                } else if !message.isEmpty {
                    text += ": \(message.prefix(400))"
                }
                return (.failed, text)
            }
        }
        if phase == "Failed" || phase == "Succeeded" {
            var text = "the session's pod \(phase == "Failed" ? "failed" : "exited")"
            if let reason = status["reason"].string { text += " (\(reason))" }
            if let terminated = container?["state"]["terminated"], !terminated.isNull {
                text += ": its container exited with code \(terminated["exitCode"].int ?? -1)"
                if let detail = terminated["message"].string ?? terminated["reason"].string { text += " (\(detail.prefix(300)))" }
            } else if let message = status["message"].string {
                text += ": \(message.prefix(300))"
            }
            return (.failed, text)
        }
        let conditions = status["conditions"].array
        func condition(_ type: String) -> KubeObject? { conditions.first { $0["type"].string == type } }
        if let scheduled = condition("PodScheduled"), scheduled["status"].string == "False" {
            let message = latestEvent(reasons: ["FailedScheduling"])?["message"].string ?? scheduled["message"].string ?? ""
            return (.pending, "waiting for a node: " + (message.isEmpty ? (scheduled["reason"].string ?? "unschedulable") : String(message.prefix(400))))
        }
        if let claim = homeClaim, let claimPhase = claim["status"]["phase"].string, claimPhase != "Bound" {
            let name = claim["metadata"]["name"].string ?? "home"
            let event = latestEvent(reasons: ["ProvisioningFailed", "FailedBinding", "ExternalProvisioning", "Provisioning", "WaitForFirstConsumer"], kind: "PersistentVolumeClaim")
            let detail = event.map { "\($0["reason"].string ?? ""): \(($0["message"].string ?? "").prefix(300))" } ?? claimPhase
            return (.pending, "waiting for the home volume '\(name)': \(detail)")
        }
        if container?["state"]["running"].isNull == false {
            if condition("Ready")?["status"].string == "True" { return (.running, "") }
            return (.starting, "the session's container runs; waiting for the IDE to answer on its port")
        }
        if let event = latestEvent(reasons: ["Pulling", "Pulled", "Created", "Started", "Scheduled", "FailedMount", "FailedAttachVolume", "BackOff"]) {
            let message = event["message"].string ?? ""
            switch event["reason"].string ?? "" {
            case "Pulling": return (.pending, "pulling the image: \(message.prefix(300))")
            case "Pulled": return (.pending, "image pulled; creating the container")
            case "Created", "Started": return (.pending, "starting the container")
            case "Scheduled": return (.pending, "scheduled: \(message.prefix(300))")
            default: return (.pending, "\(event["reason"].string ?? ""): \(message.prefix(300))")
            }
        }
        if let reason = container?["state"]["waiting"]["reason"].string {
            return (.pending, "the container is waiting: \(reason)")
        }
        return (.pending, "the session's pod is \(phase)")
    }

    /// The latest Event with one of `reasons` (about the pod unless `kind` says otherwise).
    func latestEvent(reasons: Set<String>, kind: String = "Pod") -> KubeObject? {
        events.last { event in
            reasons.contains(event["reason"].string ?? "") && (event["involvedObject"]["kind"].string ?? kind) == kind
        }
    }

    /// Orders Events oldest first: by `lastTimestamp`/`eventTime`, then resourceVersion.
    static func sorted(_ events: [KubeObject]) -> [KubeObject] {
        func key(_ event: KubeObject) -> (String, Int64) {
            let time = event["lastTimestamp"].string ?? event["eventTime"].string ?? event["metadata"]["creationTimestamp"].string ?? ""
            return (time, Int64(event["metadata"]["resourceVersion"].string ?? "") ?? 0)
        }
        return events.sorted { key($0) < key($1) }
    }
}
