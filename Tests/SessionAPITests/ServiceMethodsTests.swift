import Foundation
import RPCTransport
import SessionAPI
import Testing

/// The `RPCMethod` constants against the `service` and `rpc` declarations of the
/// `.proto` files, so that the two cannot drift apart.
struct ServiceMethodsTests {
    /// The repository's `proto/` directory.
    static let protoRoot = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "proto")

    /// The fully qualified methods a `.proto` file declares.
    static func declaredMethods(in path: String) throws -> Set<RPCMethod> {
        let text = try String(contentsOf: protoRoot.appending(path: path), encoding: .utf8)
        var package = ""
        var service = ""
        var methods: Set<RPCMethod> = []
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(whereSeparator: { " ;{(".contains($0) })
            guard words.count >= 2 else { continue }
            switch words[0] {
            case "package": package = String(words[1])
            case "service": service = "\(package).\(words[1])"
            case "rpc": methods.insert(RPCMethod(service: service, method: String(words[1])))
            default: break
            }
        }
        return methods
    }

    @Test(arguments: [
        ("sessiongw/v1/session_service.proto", SessionServiceMethods.all, 12),
        ("sessiongw/v1/checkpoint_service.proto", CheckpointServiceMethods.all, 3),
        ("sessiongw/v1/datalink_service.proto", DataLinkServiceMethods.all, 3),
        ("sessiongw/v1/catalog_service.proto", CatalogServiceMethods.all, 3),
        ("sessiongw/v1/usage_service.proto", UsageServiceMethods.all, 1),
        ("sessiongw/v1/secret_service.proto", SecretServiceMethods.all, 3),
        ("sessiongw/provider/v1/provider.proto", SessionProviderServiceMethods.all, 14),
    ])
    func constantsMatchTheProtoFile(_ path: String, _ methods: [RPCMethod], _ count: Int) throws {
        #expect(methods.count == count)
        #expect(Set(methods).count == methods.count)
        #expect(Set(methods) == (try Self.declaredMethods(in: path)))
    }

    @Test func pathsAreFullyQualified() {
        #expect(SessionServiceMethods.createSession.method.path == "/sessiongw.v1.SessionService/CreateSession")
        #expect(SessionServiceMethods.watchSessions.method.path == "/sessiongw.v1.SessionService/WatchSessions")
        #expect(CheckpointServiceMethods.renameCheckpoint.method.path == "/sessiongw.v1.CheckpointService/RenameCheckpoint")
        #expect(DataLinkServiceMethods.createDataLink.method.path == "/sessiongw.v1.DataLinkService/CreateDataLink")
        #expect(CatalogServiceMethods.listPresets.method.path == "/sessiongw.v1.CatalogService/ListPresets")
        #expect(SessionProviderServiceMethods.execute.method.path == "/sessiongw.provider.v1.SessionProviderService/Execute")
    }
}
