@testable import KubernetesBackend

/// The Kubernetes Pod Security Standards
/// (<https://kubernetes.io/docs/concepts/security/pod-security-standards/>) as a check over
/// objects: ``violations(of:level:)`` walks a Pod, a pod template or a workload holding
/// one (StatefulSet, Deployment, Job, …) and returns every control it breaks, with the
/// field, in the order the standard lists them. A pod passes a level when the list is
/// empty. Written from the standard's tables (the Linux controls; Windows-only ones are
/// included where they are plain fields), for the tests to apply to everything the
/// backend produces.
enum PodSecurityStandards {
    /// A level; each allows everything the stricter ones allow.
    enum Level: String, CaseIterable, Comparable {
        case restricted, baseline, privileged

        static func < (lhs: Self, rhs: Self) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
    }

    /// One broken control.
    struct Violation: Hashable, CustomStringConvertible {
        /// The control's name in the standard, such as "Privileged Containers".
        var control: String
        /// The offending field, such as `spec.containers[0].securityContext.privileged`.
        var field: String
        /// What is wrong.
        var message: String

        var description: String { "\(control): \(field) \(message)" }
    }

    /// Capabilities the baseline level lets containers add.
    static let baselineCapabilities: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
        "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ]
    /// The only capability the restricted level lets containers add.
    static let restrictedCapabilities: Set<String> = ["NET_BIND_SERVICE"]
    /// The volume types the restricted level allows.
    static let restrictedVolumeTypes: Set<String> = [
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    ]
    /// The sysctls the baseline level calls safe.
    static let safeSysctls: Set<String> = [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
    ]
    /// The SELinux types the baseline level allows.
    static let seLinuxTypes: Set<String> = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]

    /// Every violation of `level` in `object`: a Pod (`spec`), a pod template
    /// (`metadata`, `spec` with `containers`), or a workload whose `spec.template` (or
    /// `spec.jobTemplate.spec.template`) is one. Anything else is one violation
    /// ("no pod spec").
    static func violations(of object: KubeObject, level: Level = .restricted) -> [Violation] {
        if object["kind"].string == "Pod" || !object["spec"]["containers"].isNull {
            return violations(podSpec: object["spec"], metadata: object["metadata"], level: level, at: "spec")
        }
        if !object["spec"]["template"]["spec"].isNull {
            let template = object["spec"]["template"]
            return violations(podSpec: template["spec"], metadata: template["metadata"], level: level, at: "spec.template.spec")
        }
        if !object["spec"]["jobTemplate"]["spec"]["template"]["spec"].isNull {
            let template = object["spec"]["jobTemplate"]["spec"]["template"]
            return violations(podSpec: template["spec"], metadata: template["metadata"], level: level, at: "spec.jobTemplate.spec.template.spec")
        }
        return [Violation(control: "Pod", field: "spec", message: "holds no pod spec or pod template")]
    }

    /// Every violation of `level` in a pod spec (at `path`) and the pod's metadata.
    static func violations(podSpec spec: KubeObject, metadata: KubeObject, level: Level, at path: String) -> [Violation] {
        guard level < .privileged else { return [] }
        var found: [Violation] = []
        func add(_ control: String, _ field: String, _ message: String) {
            found.append(Violation(control: control, field: field, message: message))
        }
        let podContext = spec["securityContext"]
        let podContextPath = "\(path).securityContext"
        var containers: [(path: String, object: KubeObject)] = []
        for kind in ["initContainers", "containers", "ephemeralContainers"] {
            for (index, container) in spec[kind].array.enumerated() {
                containers.append(("\(path).\(kind)[\(index)]", container))
            }
        }
        if spec["containers"].array.isEmpty { add("Pod", "\(path).containers", "is empty: a pod needs a container") }

        // MARK: Baseline

        // HostProcess.
        if podContext["windowsOptions"]["hostProcess"].bool == true {
            add("HostProcess", "\(podContextPath).windowsOptions.hostProcess", "must be false or unset")
        }
        for container in containers where container.object["securityContext"]["windowsOptions"]["hostProcess"].bool == true {
            add("HostProcess", "\(container.path).securityContext.windowsOptions.hostProcess", "must be false or unset")
        }
        // Host namespaces.
        for field in ["hostNetwork", "hostPID", "hostIPC"] where spec[field].bool == true {
            add("Host Namespaces", "\(path).\(field)", "must be false or unset")
        }
        // Privileged containers.
        for container in containers where container.object["securityContext"]["privileged"].bool == true {
            add("Privileged Containers", "\(container.path).securityContext.privileged", "must be false or unset")
        }
        // Capabilities: only the default set may be added.
        for container in containers {
            for (index, capability) in container.object["securityContext"]["capabilities"]["add"].array.enumerated() {
                let name = capability.string ?? "\(capability)"
                if !baselineCapabilities.contains(name) {
                    add("Capabilities", "\(container.path).securityContext.capabilities.add[\(index)]", "adds \(name), which is not in the default set")
                }
            }
        }
        // HostPath volumes.
        for (index, volume) in spec["volumes"].array.enumerated() where !volume["hostPath"].isNull {
            add("HostPath Volumes", "\(path).volumes[\(index)].hostPath", "is forbidden (volume '\(volume["name"].string ?? "")', path \(volume["hostPath"]["path"].string ?? "?"))")
        }
        // Host ports.
        for container in containers {
            for (index, port) in container.object["ports"].array.enumerated() where (port["hostPort"].int ?? 0) != 0 {
                add("Host Ports", "\(container.path).ports[\(index)].hostPort", "must be 0 or unset, not \(port["hostPort"].int ?? 0)")
            }
        }
        // AppArmor.
        let appArmorTypes: Set<String> = ["RuntimeDefault", "Localhost"]
        if let type = podContext["appArmorProfile"]["type"].string, !appArmorTypes.contains(type) {
            add("AppArmor", "\(podContextPath).appArmorProfile.type", "must be RuntimeDefault, Localhost or unset, not \(type)")
        }
        for container in containers {
            if let type = container.object["securityContext"]["appArmorProfile"]["type"].string, !appArmorTypes.contains(type) {
                add("AppArmor", "\(container.path).securityContext.appArmorProfile.type", "must be RuntimeDefault, Localhost or unset, not \(type)")
            }
        }
        for (key, value) in metadata["annotations"].members where key.hasPrefix("container.apparmor.security.beta.kubernetes.io/") {
            let text = value.string ?? ""
            if text != "runtime/default" && !text.hasPrefix("localhost/") {
                add("AppArmor", "metadata.annotations['\(key)']", "must be runtime/default or localhost/*, not \(text)")
            }
        }
        // SELinux.
        var seLinux: [(String, KubeObject)] = [("\(podContextPath).seLinuxOptions", podContext["seLinuxOptions"])]
        for container in containers {
            seLinux.append(("\(container.path).securityContext.seLinuxOptions", container.object["securityContext"]["seLinuxOptions"]))
        }
        for (field, options) in seLinux where !options.isNull {
            if let type = options["type"].string, !type.isEmpty, !seLinuxTypes.contains(type) {
                add("SELinux", "\(field).type", "must be one of \(seLinuxTypes.sorted().joined(separator: ", ")) or unset, not \(type)")
            }
            for key in ["user", "role"] where !(options[key].string ?? "").isEmpty {
                add("SELinux", "\(field).\(key)", "must be unset")
            }
        }
        // /proc mount type.
        for container in containers {
            if let mount = container.object["securityContext"]["procMount"].string, mount != "Default" {
                add("/proc Mount Type", "\(container.path).securityContext.procMount", "must be Default or unset, not \(mount)")
            }
        }
        // Seccomp: never Unconfined.
        if podContext["seccompProfile"]["type"].string == "Unconfined" {
            add("Seccomp", "\(podContextPath).seccompProfile.type", "must not be Unconfined")
        }
        for container in containers where container.object["securityContext"]["seccompProfile"]["type"].string == "Unconfined" {
            add("Seccomp", "\(container.path).securityContext.seccompProfile.type", "must not be Unconfined")
        }
        // Sysctls.
        for (index, sysctl) in podContext["sysctls"].array.enumerated() {
            let name = sysctl["name"].string ?? ""
            if !safeSysctls.contains(name) {
                add("Sysctls", "\(podContextPath).sysctls[\(index)].name", "\(name) is not a safe sysctl")
            }
        }
        guard level == .restricted else { return found }

        // MARK: Restricted

        // Volume types.
        for (index, volume) in spec["volumes"].array.enumerated() {
            for type in volume.members.keys.sorted() where type != "name" && !restrictedVolumeTypes.contains(type) {
                add("Volume Types", "\(path).volumes[\(index)].\(type)", "is not an allowed volume type (\(restrictedVolumeTypes.sorted().joined(separator: ", ")))")
            }
        }
        for container in containers {
            let context = container.object["securityContext"]
            let contextPath = "\(container.path).securityContext"
            // Privilege escalation.
            if context["allowPrivilegeEscalation"].bool != false {
                add("Privilege Escalation", "\(contextPath).allowPrivilegeEscalation", "must be false, not \(context["allowPrivilegeEscalation"].bool.map(String.init) ?? "unset")")
            }
            // Running as non-root: the container's own setting, or the pod's when it has none.
            if let own = context["runAsNonRoot"].bool {
                if !own { add("Running as Non-root", "\(contextPath).runAsNonRoot", "must be true") }
            } else if podContext["runAsNonRoot"].bool != true {
                add("Running as Non-root", "\(contextPath).runAsNonRoot", "is unset and \(podContextPath).runAsNonRoot is not true")
            }
            // Running as a non-root user.
            if context["runAsUser"].int == 0 {
                add("Running as Non-root user", "\(contextPath).runAsUser", "must not be 0")
            }
            // Seccomp: RuntimeDefault or Localhost, the container's own or the pod's.
            let allowed: Set<String> = ["RuntimeDefault", "Localhost"]
            if let own = context["seccompProfile"]["type"].string {
                if !allowed.contains(own) && own != "Unconfined" {
                    add("Seccomp", "\(contextPath).seccompProfile.type", "must be RuntimeDefault or Localhost, not \(own)")
                }
            } else if !allowed.contains(podContext["seccompProfile"]["type"].string ?? "") {
                add("Seccomp", "\(contextPath).seccompProfile.type", "is unset and \(podContextPath).seccompProfile.type is not RuntimeDefault or Localhost")
            }
            // Capabilities: drop ALL, add at most NET_BIND_SERVICE.
            if !context["capabilities"]["drop"].array.contains(where: { $0.string == "ALL" }) {
                add("Capabilities", "\(contextPath).capabilities.drop", "must contain ALL")
            }
            for (index, capability) in context["capabilities"]["add"].array.enumerated() {
                let name = capability.string ?? "\(capability)"
                if !restrictedCapabilities.contains(name) {
                    add("Capabilities", "\(contextPath).capabilities.add[\(index)]", "adds \(name); only NET_BIND_SERVICE may be added")
                }
            }
        }
        if podContext["runAsUser"].int == 0 {
            add("Running as Non-root user", "\(podContextPath).runAsUser", "must not be 0")
        }
        return found
    }

    /// What this project adds to the standard for session pods, at every level: the
    /// pod gets no service account token (`automountServiceAccountToken: false`).
    static func projectViolations(of object: KubeObject) -> [Violation] {
        let spec = !object["spec"]["containers"].isNull ? object["spec"] : object["spec"]["template"]["spec"]
        guard spec["automountServiceAccountToken"].bool == false else {
            return [Violation(control: "Service account token", field: "spec.automountServiceAccountToken", message: "must be false")]
        }
        return []
    }
}
