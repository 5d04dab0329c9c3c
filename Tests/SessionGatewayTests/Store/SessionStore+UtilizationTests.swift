@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: utilization samples")
struct SessionStoreUtilizationTests {
    static func sample(at time: Double, cpu: Double = 1, gpus: [UtilizationSample.GPU] = []) -> UtilizationSample {
        UtilizationSample(
            time: time, cpuCores: cpu, memoryUsedBytes: 1 << 30, memoryLimitBytes: 4 << 30, diskUsedBytes: 2 << 30,
            diskTotalBytes: 10 << 30, gpus: gpus)
    }

    @Test("samples come back as recorded, oldest first, GPUs and unreported utilization included; 24 hours are kept; deletion removes them")
    func history() async throws {
        try await StoreFixtures.withStore { store async throws in
            let session = try await StoreFixtures.create(store, "sampled")
            let other = try await StoreFixtures.create(store, "other")
            let gpus = [
                UtilizationSample.GPU(index: 0, name: "NVIDIA H100 80GB HBM3", utilizationPercent: 35, memoryUsedBytes: 1, memoryTotalBytes: 2),
                UtilizationSample.GPU(index: 1, name: "NVIDIA H100 80GB HBM3", utilizationPercent: nil, memoryUsedBytes: 3, memoryTotalBytes: 4),
            ]
            try await store.recordUtilization(Self.sample(at: 100, gpus: gpus), of: session.id, now: 100)
            try await store.recordUtilization(Self.sample(at: 160, cpu: 0.25), of: session.id, now: 160)
            try await store.recordUtilization(Self.sample(at: 160, cpu: 3), of: other.id, now: 160)
            #expect(try await store.utilization(of: session.id) == [Self.sample(at: 100, gpus: gpus), Self.sample(at: 160, cpu: 0.25)])
            #expect(try await store.utilization(of: session.id, since: 100) == [Self.sample(at: 160, cpu: 0.25)])
            #expect(try await store.latestUtilization(of: session.id) == Self.sample(at: 160, cpu: 0.25))

            let day = SessionStore.utilizationRetention
            try await store.recordUtilization(Self.sample(at: 130 + day), of: session.id, now: 130 + day)
            #expect(try await store.utilization(of: session.id).map(\.time) == [160, 130 + day], "older than 24 hours: dropped")

            try await store.deleteSession(id: session.id)
            #expect(try await store.utilization(of: session.id).isEmpty)
            #expect(try await store.latestUtilization(of: other.id)?.cpuCores == 3)
        }
    }
}
