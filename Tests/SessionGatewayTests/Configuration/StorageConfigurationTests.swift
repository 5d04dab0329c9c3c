import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("Storage configuration: how homes are sized and the disk limit enforced")
struct StorageConfigurationTests {
    @Test("defaults: 2 GiB homes grown by 2 GiB under 1 GiB free; elastic homes over their share get 10 minutes")
    func defaults() throws {
        let storage = try GatewayConfiguration.load(yaml: "workspaces: [team]", dataDirectory: "/tmp/unused").storage
        #expect(storage == GatewayConfiguration.Storage())
        #expect(storage.autoResize && storage.initialBytes == 2 << 30 && storage.stepBytes == 2 << 30 && storage.minimumFreeBytes == 1 << 30)
        #expect(storage.elasticGrace == .seconds(600))
    }

    @Test("every field is read from storage:")
    func fields() throws {
        let storage = try GatewayConfiguration.load(
            yaml: "storage: {autoResize: true, initial: 512MiB, step: 1GiB, minimumFree: 256MiB, elasticGrace: 2m}",
            dataDirectory: "/tmp/unused"
        ).storage
        #expect(storage.initialBytes == 512 << 20 && storage.stepBytes == 1 << 30 && storage.minimumFreeBytes == 256 << 20)
        #expect(storage.elasticGrace == .seconds(120))
    }

    @Test("homes are sized only with autoResize and a backend whose homes are filesystems of their own or elastic")
    func sizesHomes() {
        var storage = GatewayConfiguration.Storage()
        #expect(storage.sizesHomes(of: [.growingHome]) && storage.sizesHomes(of: [.elasticHome, .terminals]))
        #expect(!storage.sizesHomes(of: [.terminals, .execute]))
        storage.autoResize = false
        #expect(!storage.sizesHomes(of: [.growingHome, .elasticHome]))
    }

    @Test("a bad value names its field", arguments: [
        ("storage: {elasticGrace: soon}", "storage.elasticGrace"),
        ("storage: {initial: 0GiB}", "storage.initial"),
        ("storage: {initial: 1GiB, minimumFree: 1GiB}", "storage.minimumFree"),
    ])
    func refusals(yaml: String, field: String) {
        #expect {
            _ = try GatewayConfiguration.load(yaml: yaml, dataDirectory: "/tmp/unused")
        } throws: { error in
            "\(error)".contains(field)
        }
    }
}
