import SessionAPI
import SessionSDK
import Testing

/// `DataLink` and `DataLinkMount` ↔ `V1DataLink`.
struct DataLinkConversionTests {
    @Test func mountBothWays() throws {
        #expect(V1DataLink(ModelFixtures.readOnlyMount) == V1Fixtures.readOnlyMount)
        #expect(try DataLinkMount(V1Fixtures.readOnlyMount) == ModelFixtures.readOnlyMount)
    }

    @Test func linkOutsideASessionHasNoMountPath() throws {
        let message = V1DataLink(ModelFixtures.dataLink)
        #expect(message.mountPath.isEmpty)
        #expect(!message.readOnly)
        #expect(message.location == "s3://biopharmaX/experiments")
        #expect(try DataLink(message) == ModelFixtures.dataLink)
    }

    @Test(arguments: ["s3://bucket", "efs://fs-123/home/shared", "file:///shared/data/project"])
    func everySchemeSurvivesTheTrip(_ location: String) throws {
        let message = V1DataLink(id: "dl", workspace: "w", name: "data", location: location)
        let link = try DataLink(message)
        #expect(link.location.description == location)
        #expect(V1DataLink(link).location == location)
    }

    @Test func writableMountKeepsItsAccess() throws {
        var message = V1Fixtures.readOnlyMount
        message.readOnly = false
        #expect(try DataLinkMount(message).readOnly == false)
    }

    @Test(arguments: [
        ("data_link.id", V1DataLink(name: "x", location: "s3://b")),
        ("data_link.name", V1DataLink(id: "d", location: "s3://b")),
        ("data_link.name", V1DataLink(id: "d", name: "Not Normal", location: "s3://b")),
        ("data_link.name", V1DataLink(id: "d", name: "---", location: "s3://b")),
        ("data_link.location", V1DataLink(id: "d", name: "x")),
        ("data_link.location", V1DataLink(id: "d", name: "x", location: "s3://b/../etc")),
        ("data_link.location", V1DataLink(id: "d", name: "x", location: "s3://b/a\u{7}b")),
        ("data_link.location", V1DataLink(id: "d", name: "x", location: "ftp://b/a")),
        ("data_link.location", V1DataLink(id: "d", name: "x", location: "s3://b/\(String(repeating: "a", count: 1100))")),
        ("data_link.description", V1DataLink(id: "d", name: "x", location: "s3://b", description: "\0")),
        ("data_link.workspace", V1DataLink(id: "d", workspace: "w\0", name: "x", location: "s3://b")),
    ])
    func invalidLinkIsRefusedNamingTheField(_ field: String, _ message: V1DataLink) {
        expectInvalid(field) { _ = try DataLink(message) }
    }

    @Test(arguments: ["", "/workspace/data/other", "/workspace/data/../etc", "/workspace/data/biopharmax-experiments/"])
    func mountAnywhereButItsOwnDirectoryIsRefused(_ path: String) {
        var message = V1Fixtures.readOnlyMount
        message.mountPath = path
        expectInvalid("data_link.mount_path", containing: "/workspace/data/biopharmax-experiments") {
            _ = try DataLinkMount(message)
        }
    }
}
