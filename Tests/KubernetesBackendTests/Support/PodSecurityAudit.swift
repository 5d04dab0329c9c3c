@testable import KubernetesBackend
import Foundation
import Synchronization

/// Checks every StatefulSet and Pod that appears in a test's namespace while a test runs
/// against the emulator, with ``PodSecurityStandards``: the namespace is listed every
/// 250 ms and each object version not seen before is checked, so templates that exist
/// only for a moment (a conformance case creates and deletes its session) are audited
/// too. ``finish()`` stops it and returns how many object versions were checked and
/// every violation found.
final class PodSecurityAudit: Sendable {
    /// What the audit found so far.
    struct Findings: Sendable {
        /// `kind/name@resourceVersion` of every object checked.
        var checked: Set<String> = []
        /// `kind/name: violation`, once each.
        var violations: Set<String> = []
        /// Lists that failed (the audit keeps going).
        var errors: [String] = []
    }

    /// The findings, shared with the polling task.
    final class Box: Sendable {
        let findings = Mutex(Findings())
    }

    private let box = Box()
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts auditing `kube`'s namespace at `level`.
    init(_ kube: KubeFixture, level: PodSecurityStandards.Level = .restricted) {
        let findings = box
        let started = Task {
            while !Task.isCancelled {
                await Self.sweep(kube, level: level, into: findings)
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        task.withLock { $0 = started }
    }

    /// One look at the namespace.
    private static func sweep(_ kube: KubeFixture, level: PodSecurityStandards.Level, into box: Box) async {
        for resource in [KubeResource.statefulSets, .pods] {
            let items: [KubeObject]
            do {
                items = try await kube.client.list(resource, namespace: kube.namespace, what: "auditing pod security").items
            } catch {
                box.findings.withLock { $0.errors.append("\(error)") }
                continue
            }
            for item in items {
                let name = "\(resource.kind)/\(item["metadata"]["name"].string ?? "?")"
                let key = "\(name)@\(item["metadata"]["resourceVersion"].string ?? "?")"
                guard box.findings.withLock({ $0.checked.insert(key).inserted }) else { continue }
                var object = item
                object["kind"] = .string(resource.kind)
                let found = PodSecurityStandards.violations(of: object, level: level) + PodSecurityStandards.projectViolations(of: object)
                box.findings.withLock { findings in
                    for violation in found { findings.violations.insert("\(name): \(violation)") }
                }
            }
        }
    }

    /// Stops auditing after one last look; returns the findings.
    func finish(_ kube: KubeFixture, level: PodSecurityStandards.Level = .restricted) async -> Findings {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
        await Self.sweep(kube, level: level, into: box)
        return box.findings.withLock { $0 }
    }
}
