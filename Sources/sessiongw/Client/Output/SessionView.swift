import RPCTransport
import SessionAPI

/// How sessions look to people: a table for lists and a field list for one session.
enum SessionView {
    /// The columns of ``table(_:now:)``.
    static let columns = ["NAME", "ID", "STATE", "PRESET", "IMAGE", "SIZE", "AGE", "IDLE", "RATE", "URL"]

    /// One row per session; AGE counts from its creation to `now` (seconds since 1970).
    static func table(_ sessions: [V1Session], now: Double) -> TextTable {
        TextTable(columns: columns, rows: sessions.map { row($0, now: now) })
    }

    /// The cells of one session, in the order of ``columns``.
    static func row(_ session: V1Session, now: Double) -> [String] {
        [
            session.name,
            session.id,
            session.state.name,
            session.spec?.preset ?? "",
            session.spec?.image ?? "",
            session.spec.map(size) ?? "",
            HumanUnits.age(of: session.createTime?.secondsSince1970 ?? 0, now: now),
            session.idle.map { idleBadge($0, now: now) } ?? "-",
            session.cost.map(rate) ?? "-",
            session.connectionURL,
        ]
    }

    /// What it costs per hour now: `0.5200 USD/h`, or `-` without prices.
    static func rate(_ cost: V1SessionCost) -> String {
        cost.currency.isEmpty ? "-" : "\(HumanUnits.money(cost.hourlyRate, currency: cost.currency))/h"
    }

    /// `3.41 USD so far; 0.5200 USD/h while running, 0.0100 USD/h now; compute held 2h 5m`.
    static func cost(_ cost: V1SessionCost) -> String {
        let seconds = cost.computeHeld?.seconds ?? 0
        let held = "compute held \(seconds > 0 ? HumanUnits.duration(seconds: seconds) : "0s")"
        guard !cost.currency.isEmpty else { return "no prices for its environment; \(held)" }
        return "\(HumanUnits.money(cost.accumulated, currency: cost.currency)) so far; "
            + "\(HumanUnits.money(cost.runningHourlyRate, currency: cost.currency))/h while running, \(rate(cost)) now; \(held)"
    }

    /// The latest utilization sample: `CPU 1.5 cores, memory 2 GiB of 8 GiB, disk 3 GiB
    /// of 30 GiB (12s ago)`, then one line per GPU (`GPU 0 NVIDIA H100: 35%, 19 GiB of
    /// 80 GiB`), or `no GPU`.
    static func utilization(_ sample: V1UtilizationSample, now: Double) -> [String] {
        let age = sample.time.map { " (\(HumanUnits.age(of: $0.secondsSince1970, now: now)) ago)" } ?? ""
        var lines = [
            "CPU \(HumanUnits.decimal(sample.cpuCores, places: 2)) cores, memory \(HumanUnits.bytes(sample.memoryUsedBytes)) "
                + "of \(HumanUnits.bytes(sample.memoryLimitBytes)), disk \(HumanUnits.bytes(sample.diskUsedBytes)) "
                + "of \(HumanUnits.bytes(sample.diskTotalBytes))\(age)",
        ]
        lines += sample.gpus.map { gpu in
            let busy = gpu.utilizationUnavailable ? "utilization not reported" : "\(HumanUnits.decimal(gpu.utilizationPercent))%"
            return "GPU \(gpu.index) \(gpu.name): \(busy), \(HumanUnits.bytes(gpu.memoryUsedBytes)) of \(HumanUnits.bytes(gpu.memoryTotalBytes))"
        }
        if sample.gpus.isEmpty { lines.append("no GPU") }
        return lines
    }

    /// `idle 2h` (quiet that long), or what keeps it busy: `active: terminal`.
    static func idleBadge(_ idle: V1IdleStatus, now: Double) -> String {
        idle.idle
            ? "idle \(HumanUnits.age(of: idle.quietSince?.secondsSince1970 ?? now, now: now))"
            : "active: \(idle.lastActiveSignal)"
    }

    /// Whether it is idle, when that changes, and each signal's last activity:
    /// `idle for 2h (quiet since 2024-05-01T10:00:00Z); paused at ... by the culling
    /// policy`, then `cpu  last active 2h ago`.
    static func idle(_ idle: V1IdleStatus, now: Double) -> [String] {
        let quietSince = idle.quietSince?.secondsSince1970 ?? now
        var summary = idle.idle
            ? "idle for \(HumanUnits.age(of: quietSince, now: now)) (quiet since \(HumanUnits.timestamp(quietSince)))"
            : "active: \(idle.lastActiveSignal) \(HumanUnits.age(of: quietSince, now: now)) ago; "
                + "idle at \(HumanUnits.timestamp(idle.idleTime?.secondsSince1970 ?? 0)) if nothing happens"
        if let cull = idle.cullTime?.secondsSince1970 {
            summary += "; paused at \(HumanUnits.timestamp(cull)) by the culling policy"
        }
        return [summary] + idle.signals.map { signal in
            "\(signal.name)  last active \(HumanUnits.age(of: signal.lastActiveTime?.secondsSince1970 ?? 0, now: now)) ago"
        }
    }

    /// The compute a spec asks for: its resource overrides when it has them, else the
    /// pod size's name, else `default` (the preset's default size).
    static func size(_ spec: V1SessionSpec) -> String {
        spec.resources.map(HumanUnits.resources) ?? (spec.podSize.isEmpty ? "default" : spec.podSize)
    }

    /// Every field of one session, with its environment, labels and data-links.
    static func detail(_ session: V1Session, now: Double) -> KeyValueList {
        var list = KeyValueList()
        list.append("Name", session.name)
        list.append("ID", session.id)
        list.append("Workspace", session.workspace)
        list.append("Owner", session.owner)
        list.append("State", session.state.name)
        list.append("Reason", session.stateReason)
        list.append("Warnings", values: session.warnings)
        list.append("URL", session.connectionURL)
        if let spec = session.spec {
            list.append("Preset", spec.preset)
            list.append("Image", spec.image)
            list.append("Pod size", spec.podSize.isEmpty ? "default" : spec.podSize)
            if let resources = spec.resources { list.append("Resources", HumanUnits.resources(resources)) }
            list.append("Environment", spec.computeEnvironment)
            list.append("Pool", spec.computePool)
            list.append("Home volume", spec.homeVolume.map(homeVolume) ?? "")
            list.append("Duration limit", HumanUnits.duration(seconds: spec.durationLimit?.seconds ?? 0))
        }
        list.append("Cloned from", session.clonedFromCheckpointID)
        list.append("Created", created(session.createTime?.secondsSince1970 ?? 0, now: now))
        list.append("Updated", created(session.updateTime?.secondsSince1970 ?? 0, now: now))
        list.append("Revision", String(session.revision))
        list.append("Cost", session.cost.map(cost) ?? "")
        list.append("Utilization", values: session.utilization.map { utilization($0, now: now) } ?? [])
        list.append("Idle", values: session.idle.map { idle($0, now: now) } ?? [])
        if let spec = session.spec {
            list.append("Env", values: spec.env.map(environmentVariable))
            list.append("Packages", values: spec.packages)
            list.append("Labels", values: spec.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            list.append("Data volumes", values: spec.dataVolumes.map {
                "\($0.mountPath)  \($0.readOnly ? "ro" : "rw")  \($0.source)"
            })
        }
        list.append("Data links", values: dataLinks(of: session))
        list.append("Connected", values: session.connectedUsers.map { connectedUser($0, now: now) })
        return list
    }

    /// `alice  since 12:00:00 UTC (5m ago), last seen 3s ago, 1 open`: one caller
    /// connected through the gateway's connection proxy.
    static func connectedUser(_ user: V1ConnectedUser, now: Double) -> String {
        var text = "\(user.user)  since \(created(user.sinceTime?.secondsSince1970 ?? 0, now: now)), "
            + "last seen \(HumanUnits.age(of: user.lastSeenTime?.secondsSince1970 ?? 0, now: now)) ago"
        if user.openConnections > 0 { text += ", \(user.openConnections) open" }
        return text
    }

    /// `new 5 GiB` or `claim NAME`.
    static func homeVolume(_ volume: V1HomeVolume) -> String {
        switch volume.source {
        case .newSizeBytes(let bytes): "new \(HumanUnits.bytes(bytes))"
        case .existingClaim(let claim): "claim \(claim)"
        case nil: ""
        }
    }

    /// `NAME=value`, or `NAME from secret SECRET`: a secret's value is never shown.
    static func environmentVariable(_ variable: V1EnvVar) -> String {
        switch variable.source {
        case .value(let value): "\(variable.name)=\(value)"
        case .secretRef(let secret): "\(variable.name) from secret \(secret)"
        case nil: variable.name
        }
    }

    /// The mounted data-links (`/workspace/data/x  rw  s3://bucket/x  (id)`), or the
    /// requested ids when the gateway reported no mounts.
    static func dataLinks(of session: V1Session) -> [String] {
        guard session.dataLinks.isEmpty else {
            return session.dataLinks.map { "\($0.mountPath)  \($0.readOnly ? "ro" : "rw")  \($0.location)  (\($0.id))" }
        }
        return session.spec?.dataLinkIDs ?? []
    }

    private static func created(_ time: Double, now: Double) -> String {
        time > 0 ? "\(HumanUnits.timestamp(time)) (\(HumanUnits.age(of: time, now: now)) ago)" : ""
    }
}
