public import SessionSDK

/// One check of the provider contract: a group, a name, the rule it checks, and what
/// it needs to run.
///
/// A case runs only when the provider reports every capability in
/// ``requiredCapabilities`` and none in ``absentCapabilities`` (cases that check the
/// `UNIMPLEMENTED` answer apply only to providers without the capability), and when
/// the ``ConformanceSuite/Configuration`` gives what it needs (data-links, a restart
/// factory, an over-quota request). Otherwise it is skipped with the reason; it is never
/// silently passed.
///
/// A failing case's message starts with its ``rule``, so a report says which rule the
/// provider broke.
public struct ConformanceCase: Sendable, Identifiable, CustomStringConvertible {
    /// What a case needs from the configuration besides the provider.
    enum ConfigurationNeed: String, Hashable, Sendable, CaseIterable {
        case dataLinks
        case restart
        case overQuotaRequest
        case missingReferenceRequest

        /// Why a case is skipped without it.
        var skipReason: String {
            switch self {
            case .dataLinks: "the configuration gives no data-links (Configuration.dataLinks)"
            case .restart: "the configuration gives no way to restart the provider (Configuration.restart)"
            case .overQuotaRequest: "the configuration gives no over-quota request (Configuration.overQuotaRequest)"
            case .missingReferenceRequest:
                "the configuration gives no request naming a missing image or volume (Configuration.missingReferenceRequest)"
            }
        }
    }

    /// The part of the contract the case checks.
    public let group: ConformanceGroup
    /// The case's name in its group, in kebab case, such as `twice-succeeds`.
    public let name: String
    /// The rule the case checks, as a sentence; failure messages start with it.
    public let rule: String
    /// Capabilities the provider must report for the case to run.
    public let requiredCapabilities: Set<ProviderCapability>
    /// Capabilities the provider must not report for the case to run.
    public let absentCapabilities: Set<ProviderCapability>
    /// What the configuration must give.
    let needs: Set<ConfigurationNeed>
    /// The check; it throws a ``CaseFailure`` (or any error) to fail and a
    /// ``CaseSkip`` to skip.
    let body: @Sendable (CaseContext) async throws -> Void

    /// `group/name`, what `--focus` and `--skip` match.
    public var id: String { "\(group.rawValue)/\(name)" }

    /// `group/name`.
    public var description: String { id }

    init(
        _ group: ConformanceGroup, _ name: String, rule: String, requires: Set<ProviderCapability> = [],
        without: Set<ProviderCapability> = [], needs: Set<ConfigurationNeed> = [],
        _ body: @escaping @Sendable (CaseContext) async throws -> Void
    ) {
        self.group = group
        self.name = name
        self.rule = rule
        self.requiredCapabilities = requires
        self.absentCapabilities = without
        self.needs = needs
        self.body = body
    }

    /// Why the case cannot run against a provider with `capabilities` under
    /// `configuration`, or nil when it can.
    func skipReason(capabilities: Set<ProviderCapability>, configuration: ConformanceSuite.Configuration) -> String? {
        let missing = requiredCapabilities.subtracting(capabilities).map(\.rawValue).sorted()
        if !missing.isEmpty {
            return missing.count == 1
                ? "capability \(missing[0]) absent"
                : "capabilities \(missing.joined(separator: ", ")) absent"
        }
        let present = absentCapabilities.intersection(capabilities).map(\.rawValue).sorted()
        if !present.isEmpty {
            return "capability \(present.joined(separator: ", ")) present; this rule applies only to providers without it"
        }
        for need in ConfigurationNeed.allCases where needs.contains(need) && !configuration.provides(need) {
            return need.skipReason
        }
        return nil
    }
}
