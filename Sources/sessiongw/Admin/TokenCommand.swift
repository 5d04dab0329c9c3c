import ArgumentParser
import Foundation
import SessionGateway

/// `sessiongw token`: API tokens, kept in the store as SHA-256 hashes.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens (on the gateway's host).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token for a caller and print it once; only its hash is stored.",
            discussion: "The caller's roles come from its workspace memberships (sessiongw member set).")

        @OptionGroup var admin: AdminOptions

        @Option(help: "Who calls with the token.")
        var caller: String

        @Option(help: "What the token is for.")
        var description: String = ""

        @Option(help: "How long the token works, such as 30d or 12h; 'none' for no expiry.")
        var expires: DurationArgument = DurationArgument(.seconds(90 * 86_400))

        func run() async throws {
            guard !caller.isEmpty, caller.count <= 256 else { throw ValidationError("--caller must have 1 to 256 characters") }
            let store = try admin.openStore()
            defer { try? store.close() }
            let now = Date().timeIntervalSince1970
            let expiry = expires.duration == .zero ? nil : now + Double(expires.duration.components.seconds)
            let (token, value) = APIToken.make(caller: caller, description: description, expiresAt: expiry, now: now)
            try await store.addToken(token, sha256: APIToken.sha256(of: value))
            print(value)
            FileHandle.standardError.write(Data((
                "token \(token.id) for '\(caller)', expires \(expiry.map(HumanUnits.timestamp) ?? "never"); "
                    + "it is shown only now: pass it as 'authorization: Bearer TOKEN' or --token\n").utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their values).")

        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let store = try admin.openStore()
            defer { try? store.close() }
            let now = Date().timeIntervalSince1970
            var table = TextTable(columns: ["ID", "CALLER", "STATE", "CREATED", "EXPIRES", "DESCRIPTION"])
            for token in try await store.tokens() {
                let state = token.revokedAt != nil ? "revoked" : (token.expiresAt.map { $0 <= now } == true ? "expired" : "active")
                table.rows.append([
                    token.id, token.caller, state, HumanUnits.timestamp(token.createdAt),
                    token.expiresAt.map(HumanUnits.timestamp) ?? "never", token.description,
                ])
            }
            print(table.rendered())
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: no call is accepted with it from now on.")

        @OptionGroup var admin: AdminOptions

        @Argument(help: "The token's id (t-…), as 'sessiongw token list' shows it.")
        var id: String

        func run() async throws {
            let store = try admin.openStore()
            defer { try? store.close() }
            try await store.revokeToken(id: id)
            print("revoked \(id)")
        }
    }
}
