import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("Pricing: a session's hourly rates from its environment's prices")
struct PricingTests {
    static let yaml = """
        computeEnvironments:
          - id: gpu
            backend: local
            pricing:
              currency: EUR
              podSizes: {small: 0.25}
              cpuHour: 0.5
              memoryGiBHour: 0.25
              gpuHour: 2
              storageGiBMonth: 73
          - id: free
            backend: local
        presets:
          - id: lab
            images: [{name: base}]
            podSizes: [{name: small, cpu: 1, memory: 1GiB}, {name: big, cpu: 4, memory: 16GiB, gpus: 1}]
            command: ["true"]
        """

    func session(podSize: String, environment: String = "gpu", resources: Resources? = nil, home: Int64 = 10 << 30) -> Session {
        var spec = SessionSpec(preset: "lab", image: "base", podSize: podSize, computeEnvironment: environment)
        spec.resources = resources
        spec.homeVolume = .new(sizeBytes: home)
        return Session(id: SessionID(rawValue: "s-1"), workspace: .default, name: "x", owner: "ada", spec: spec, createdAt: 0, updatedAt: 0, revision: 1)
    }

    @Test("a priced size costs its price; others their CPUs, memory and GPUs; storage per GiB-month of home")
    func rates() throws {
        let configuration = try GatewayConfiguration.load(yaml: Self.yaml, dataDirectory: "/tmp/unused")
        let small = configuration.usageRates(for: session(podSize: "small"))
        #expect(small.currency == "EUR" && small.compute == 0.25)
        #expect(abs(small.storage - 10 * 73 / Pricing.hoursPerMonth) < 1e-12)
        #expect(configuration.usageRates(for: session(podSize: "big")).compute == 4 * 0.5 + 16 * 0.25 + 2)
        let custom = configuration.usageRates(for: session(podSize: "big", resources: Resources(cpuMillis: 500, memoryBytes: 2 << 30, gpus: 0)))
        #expect(custom.compute == 0.5 * 0.5 + 2 * 0.25)
        #expect(configuration.usageRates(for: session(podSize: "small", environment: "free")) == .free)
    }

    @Test("bad prices are refused with the path of the setting", arguments: [
        ("currency: dollars", "pricing.currency"), ("currency: USD\n      cpuHour: -1", "pricing.cpuHour"),
        ("currency: USD\n      podSizes: {small: .nan}", "pricing.podSizes.small"),
    ])
    func refused(pricing: String, path: String) {
        let yaml = """
            computeEnvironments:
              - id: gpu
                backend: local
                pricing:
                  \(pricing)
            """
        #expect {
            _ = try GatewayConfiguration.load(yaml: yaml, dataDirectory: "/tmp/unused")
        } throws: { error in
            "\(error)".contains(path)
        }
    }
}
