import RPCTransport
import SessionAPI
import SessionSDK
import Testing

/// `Session` ↔ `V1Session`: what a response shows and what it keeps back.
struct SessionConversionTests {
    static let model = Session(
        id: SessionID(rawValue: "s-42"), workspace: .default, name: "train", owner: "alice", spec: ModelFixtures.spec,
        state: .running, stateReason: "healthy", clonedFrom: CheckpointID(rawValue: "c-7"),
        handle: SessionHandle(rawValue: "pgid:4242"),
        connection: Session.Connection(url: "http://127.0.0.1:40001/lab", accessToken: "tok-123"),
        createdAt: 1_700_000_000.25, updatedAt: 1_700_000_100.5, revision: 17)

    @Test func modelBecomesTheMessageWithMounts() {
        #expect(V1Session(Self.model, dataLinks: [ModelFixtures.readOnlyMount]) == V1Fixtures.session)
    }

    @Test func responseNeverCarriesTheAccessTokenOrTheHandle() throws {
        let bytes = try V1Session(Self.model).protobufBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("tok-123"))
        #expect(!text.contains("pgid:4242"))
        #expect(text.contains("http://127.0.0.1:40001/lab"))
    }

    @Test func messageBecomesTheModelWithoutSecrets() throws {
        let session = try Session(V1Fixtures.session)
        var expected = Self.model
        expected.handle = nil
        expected.connection = Session.Connection(url: "http://127.0.0.1:40001/lab", accessToken: "")
        #expect(session == expected)
    }

    @Test func emptyOptionalTextsBecomeNil() throws {
        var message = V1Fixtures.session
        message.clonedFromCheckpointID = ""
        message.connectionURL = ""
        message.workspace = ""
        let session = try Session(message)
        #expect(session.clonedFrom == nil)
        #expect(session.connection == nil)
        #expect(session.workspace == .default)
    }

    /// A change that makes the fixture session invalid, and the field the error must name.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let field: String
        let change: @Sendable (inout V1Session) -> Void
        var testDescription: String { field }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(field: "session.id") { $0.id = "" },
        InvalidCase(field: "session.id") { $0.id = "s\0" },
        InvalidCase(field: "session.workspace") { $0.workspace = "de\0fault" },
        InvalidCase(field: "session.name") { $0.name = "" },
        InvalidCase(field: "session.owner") { $0.owner = "al\0ice" },
        InvalidCase(field: "session.spec") { $0.spec = nil },
        InvalidCase(field: "session.spec.preset") { $0.spec?.preset = "" },
        InvalidCase(field: "session.state") { $0.state = .unspecified },
        InvalidCase(field: "session.state") { $0.state = .unrecognized(11) },
        InvalidCase(field: "session.state_reason") { $0.stateReason = "\0" },
        InvalidCase(field: "session.cloned_from_checkpoint_id") { $0.clonedFromCheckpointID = "c\0" },
        InvalidCase(field: "session.connection_url") { $0.connectionURL = "http://x\0" },
        InvalidCase(field: "session.create_time") { $0.createTime = ProtobufTimestamp(seconds: -1) },
        InvalidCase(field: "session.update_time") { $0.updateTime = ProtobufTimestamp(seconds: 1, nanos: -1) },
        InvalidCase(field: "session.revision") { $0.revision = -5 },
    ]

    @Test(arguments: invalidCases)
    func invalidSessionIsRefusedNamingTheField(_ invalid: InvalidCase) {
        var message = V1Fixtures.session
        invalid.change(&message)
        expectInvalid(invalid.field) { _ = try Session(message) }
    }

    @Test func connectionConvertsWithItsToken() throws {
        let connection = try Session.Connection(V1Fixtures.connection)
        #expect(connection == Session.Connection(url: "http://127.0.0.1:40001/lab", accessToken: "tok-123"))
        #expect(V1Connection(connection) == V1Fixtures.connection)
        expectInvalid("connection.url") { _ = try Session.Connection(V1Connection(accessToken: "t")) }
        expectInvalid("connection.access_token") {
            _ = try Session.Connection(V1Connection(url: "http://x", accessToken: "t\0"))
        }
    }
}
