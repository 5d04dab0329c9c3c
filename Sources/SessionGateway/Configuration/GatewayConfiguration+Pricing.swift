public import SessionSDK

extension GatewayConfiguration {
    /// What `session` costs per hour under its compute environment's ``Pricing``:
    /// compute for its pod size (its own resources when it asks for some), storage for
    /// its new home volume (the preset's default size when it names none; an existing
    /// volume is the environment's to bill). Free when the environment has no prices
    /// or is no longer configured.
    public func usageRates(for session: Session) -> UsageRates {
        guard let pricing = environment(session.spec.computeEnvironment, in: session.workspace)?.pricing else {
            return .free
        }
        let preset = preset(session.spec.preset)
        let resources = session.spec.resources
            ?? preset?.podSizes.first { $0.name == session.spec.podSize }?.resources
            ?? preset?.podSizes.first { $0.name == preset?.defaultPodSize }?.resources
            ?? Resources(cpuMillis: 0, memoryBytes: 0, gpus: 0)
        var homeBytes: Int64 = 0
        if case .new(let size) = session.spec.homeVolume {
            homeBytes = size > 0 ? size : preset?.defaultHomeVolumeBytes ?? 0
        }
        return UsageRates(
            currency: pricing.currency, compute: pricing.computeHourly(podSize: session.spec.podSize, resources: resources),
            storage: pricing.storageHourly(bytes: homeBytes))
    }
}
