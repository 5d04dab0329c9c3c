import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// Timings at 10,000 stored sessions; run with `SESSIONGW_STORE_BENCHMARK=1` (in release
/// mode for meaningful numbers). Prints its measurements; asserts only correctness.
@Suite("SessionStore benchmark", .enabled(if: ProcessInfo.processInfo.environment["SESSIONGW_STORE_BENCHMARK"] != nil))
struct SessionStoreBenchmarkTests {
    @Test("GetSession, ListSessions and memory at 10,000 sessions")
    func tenThousand() async throws {
        try await StoreFixtures.withStore { store async throws in
            let clock = ContinuousClock()
            var ids: [SessionID] = []
            let insert = try await clock.measure {
                for index in 0..<10_000 {
                    let labels = ["team": "t\(index % 20)", "tier": index % 2 == 0 ? "gold" : "silver"]
                    ids.append(try await StoreFixtures.create(
                        store, "session-\(index)", spec: StoreFixtures.spec(labels: labels), now: Double(index)).id)
                }
            }
            var latencies: [Duration] = []
            for _ in 0..<5_000 {
                let id = ids.randomElement()!
                latencies.append(try await clock.measure { _ = try await store.session(id: id, workspace: .default) })
            }
            latencies.sort()
            func list(_ filter: SessionFilter, pageSize: Int = 50) async throws -> (Duration, Int) {
                var count = 0
                let time = try await clock.measure {
                    count = try await store.listSessions(workspace: .default, filter: filter, pageSize: pageSize).items.count
                }
                return (time, count)
            }
            let firstPage = try await list(SessionFilter())
            let byLabel = try await list(SessionFilter(labels: ["team": "t7", "tier": "silver"]))
            let byState = try await list(SessionFilter(states: [.running]))
            var total = 0
            let fullScan = try await clock.measure {
                var token = ""
                repeat {
                    let page = try await store.listSessions(workspace: .default, pageSize: 1000, pageToken: token)
                    total += page.items.count
                    token = page.nextPageToken
                } while !token.isEmpty
            }
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? "VmRSS: ?"
            print("""
                store benchmark: 10,000 creates in \(insert)
                GetSession p50 \(latencies[latencies.count / 2]) p99 \(latencies[latencies.count * 99 / 100]) max \(latencies.last!)
                ListSessions first page of 50: \(firstPage.0); by two labels: \(byLabel.0) (\(byLabel.1) items); \
                by state (none match): \(byState.0)
                all 10,000 in pages of 1000: \(fullScan)
                \(rss)
                """)
            #expect(total == 10_000)
            #expect(byLabel.1 == 50)
            #expect(byState.1 == 0)
        }
    }
}
