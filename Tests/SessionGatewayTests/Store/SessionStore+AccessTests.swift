import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: tokens by id")
struct SessionStoreAccessTests {
    @Test("a token is found by its id, revoked or not, among many; an unknown id is nil")
    func tokenByID() async throws {
        try await StoreFixtures.withStore { store async throws in
            var made: [APIToken] = []
            for index in 0..<50 {
                let (token, value) = APIToken.make(
                    caller: "caller-\(index)", description: "token \(index)", expiresAt: index == 7 ? 1_900_000_000 : nil,
                    now: 1_800_000_000 + Double(index))
                try await store.addToken(token, sha256: APIToken.sha256(of: value))
                made.append(token)
            }
            for token in [made[0], made[7], made[49]] {
                #expect(try await store.token(id: token.id) == token)
            }
            #expect(try await store.token(id: made[7].id)?.expiresAt == 1_900_000_000)

            try await store.revokeToken(id: made[7].id, now: 1_800_000_100)
            let revoked = try #require(try await store.token(id: made[7].id))
            #expect(revoked.revokedAt == 1_800_000_100)
            #expect(revoked.caller == "caller-7")
            #expect(try await store.token(id: made[8].id)?.revokedAt == nil)

            #expect(try await store.token(id: "t-doesnotexist0000") == nil)
            #expect(try await store.token(id: "") == nil)
            // An id is matched exactly, not as a pattern or a prefix.
            #expect(try await store.token(id: "t-%") == nil)
            #expect(try await store.token(id: String(made[0].id.dropLast())) == nil)
        }
    }
}
