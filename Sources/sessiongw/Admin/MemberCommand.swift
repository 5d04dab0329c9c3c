import ArgumentParser
import SessionGateway
import SessionSDK

/// `sessiongw member`: who belongs to a workspace, with which role.
struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Set, list and remove workspace members (on the gateway's host).",
        subcommands: [Set.self, List.self, Remove.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a caller a role in a workspace (creating the workspace if needed).",
            discussion: "Roles, each including the ones before: view, connect, launch, maintain, admin.")

        @OptionGroup var admin: AdminOptions

        @Option(help: "The workspace.")
        var workspace: String = WorkspaceID.default.rawValue

        @Option(help: "The caller: a token's caller or a JWT's sub.")
        var caller: String

        @Option(help: "view, connect, launch, maintain or admin.")
        var role: String

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("'\(role)' is not a role; use \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let store = try admin.openStore()
            defer { try? store.close() }
            let id = WorkspaceID(rawValue: workspace)
            if try await store.createWorkspace(id) { print("created workspace '\(workspace)'") }
            try await store.setMember(caller, role: role, in: id)
            print("'\(caller)' has role \(role.rawValue) in workspace '\(workspace)'")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a workspace's members.")

        @OptionGroup var admin: AdminOptions

        @Option(help: "The workspace.")
        var workspace: String = WorkspaceID.default.rawValue

        func run() async throws {
            let store = try admin.openStore()
            defer { try? store.close() }
            var table = TextTable(columns: ["CALLER", "ROLE"])
            for member in try await store.members(of: WorkspaceID(rawValue: workspace)) {
                table.rows.append([member.caller, member.role.rawValue])
            }
            print(table.rendered())
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a caller from a workspace.")

        @OptionGroup var admin: AdminOptions

        @Option(help: "The workspace.")
        var workspace: String = WorkspaceID.default.rawValue

        @Option(help: "The caller.")
        var caller: String

        func run() async throws {
            let store = try admin.openStore()
            defer { try? store.close() }
            let removed = try await store.removeMember(caller, from: WorkspaceID(rawValue: workspace))
            print(removed ? "removed '\(caller)' from workspace '\(workspace)'" : "'\(caller)' was not a member of '\(workspace)'")
        }
    }
}
