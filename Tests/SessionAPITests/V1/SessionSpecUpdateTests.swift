import RPCTransport
import SessionAPI
import SessionSDK
import Testing

/// `UpdateSessionRequest` → `SessionSpecUpdate`: the mask decides what changes.
struct SessionSpecUpdateTests {
    private func request(_ mask: [String], _ change: (inout V1SessionSpec) -> Void = { _ in }) -> V1UpdateSessionRequest {
        var spec = V1SessionSpec()
        change(&spec)
        return V1UpdateSessionRequest(workspace: "default", sessionID: "s-42", spec: spec, updateMask: ProtobufFieldMask(paths: mask))
    }

    @Test func onlyNamedFieldsChange() throws {
        // `image` is set in the spec but not named: it must not change.
        let update = try SessionSpecUpdate(request(["labels"]) {
            $0.labels = ["team": "infra"]
            $0.image = "other"
        })
        #expect(update.changes == [.labels(["team": "infra"])])
        let updated = update.applied(to: ModelFixtures.spec)
        #expect(updated.labels == ["team": "infra"])
        #expect(updated.image == ModelFixtures.spec.image)
        #expect(update.kinds == [.labels])
        #expect(!update.needsPausedSession)
    }

    @Test func namedButUnsetFieldsAreReset() throws {
        let update = try SessionSpecUpdate(request(["resources", "env", "duration_limit", "pod_size"]))
        let updated = update.applied(to: ModelFixtures.spec)
        #expect(updated.resources == nil)
        #expect(updated.environment.isEmpty)
        #expect(updated.durationLimit == nil)
        #expect(updated.podSize.isEmpty)
        #expect(updated.labels == ModelFixtures.spec.labels)
    }

    @Test func everyUpdatableFieldMapsToItsLifecycleKind() throws {
        let update = try SessionSpecUpdate(request(SessionSpecUpdate.updatableFields) {
            $0.homeVolume = V1Fixtures.existingHome
        })
        #expect(update.changes.map(\.fieldName) == SessionSpecUpdate.updatableFields)
        #expect(update.kinds == Set(SessionLifecycle.UpdateKind.allCases))
        #expect(update.needsPausedSession)
        let kinds = Dictionary(uniqueKeysWithValues: update.changes.map { ($0.fieldName, $0.kind) })
        #expect(kinds["pod_size"] == .compute)
        #expect(kinds["resources"] == .compute)
        #expect(kinds["compute_pool"] == .compute)
        #expect(kinds["env"] == .environment)
        #expect(kinds["home_volume"] == .volumes)
        #expect(kinds["data_volumes"] == .volumes)
        #expect(kinds["data_link_ids"] == .dataLinks)
        #expect(kinds["labels"] == .labels)
        #expect(kinds["duration_limit"] == .durationLimit)
    }

    @Test func computeChangeNeedsAPausedSession() throws {
        let update = try SessionSpecUpdate(request(["resources", "labels"]) {
            $0.resources = V1Resources(cpuMillis: 4000, memoryBytes: 16 << 30, gpus: 1)
        })
        #expect(update.needsPausedSession)
        #expect(update.applied(to: ModelFixtures.spec).resources == Resources(cpuMillis: 4000, memoryBytes: 16 << 30, gpus: 1))
    }

    @Test func aFieldNamedTwiceCountsOnce() throws {
        let update = try SessionSpecUpdate(request(["labels", "labels"]) { $0.labels = ["a": "b"] })
        #expect(update.changes == [.labels(["a": "b"])])
    }

    @Test func clientRequestRoundTripsThroughTheWire() throws {
        let update = SessionSpecUpdate(changes: [
            .resources(ModelFixtures.resources), .environment(ModelFixtures.spec.environment),
            .homeVolume(.existing("claim")), .dataVolumes(ModelFixtures.spec.dataVolumes), .dataLinks(["dl-9"]),
            .labels(["a": "b"]), .durationLimit(.seconds(90)), .podSize("small"), .computePool("gpu"),
        ])
        let message = V1UpdateSessionRequest(sessionID: SessionID(rawValue: "s-42"), update: update)
        #expect(message.workspace == "default")
        #expect(message.updateMask?.paths == update.changes.map(\.fieldName))
        let decoded = try V1UpdateSessionRequest(protobufBytes: message.protobufBytes())
        #expect(try SessionSpecUpdate(decoded) == update)
    }

    @Test func laterChangeOfAFieldReplacesAnEarlierOne() {
        let update = SessionSpecUpdate(changes: [.labels(["a": "1"]), .podSize("x"), .labels(["a": "2"])])
        #expect(update.changes == [.labels(["a": "2"]), .podSize("x")])
    }

    @Test func emptyMaskIsRefused() {
        expectInvalid("update_mask", containing: "names no fields") { _ = try SessionSpecUpdate(request([])) }
    }

    @Test(arguments: ["preset", "image", "compute_environment"])
    func immutableFieldsAreRefused(_ name: String) {
        expectInvalid("update_mask[1]", containing: "cannot change") { _ = try SessionSpecUpdate(request(["labels", name])) }
    }

    @Test(arguments: ["cpu", "Labels", "spec.labels", "*", ""])
    func unknownFieldsAreRefused(_ name: String) {
        expectInvalid("update_mask[0]", containing: "unknown field") { _ = try SessionSpecUpdate(request([name])) }
    }

    @Test func nulInTheMaskIsRefused() {
        expectInvalid("update_mask[0]", containing: "NUL") { _ = try SessionSpecUpdate(request(["lab\0els"])) }
    }

    @Test func namedFieldsAreValidated() {
        expectInvalid("spec.home_volume", containing: "required") { _ = try SessionSpecUpdate(request(["home_volume"])) }
        expectInvalid("spec.resources.memory_bytes") {
            _ = try SessionSpecUpdate(request(["resources"]) { $0.resources = V1Resources(cpuMillis: 1) })
        }
        expectInvalid("spec.env[0].name") {
            _ = try SessionSpecUpdate(request(["env"]) { $0.env = [V1EnvVar(name: "BAD NAME", source: .value("x"))] })
        }
        expectInvalid("spec.duration_limit") {
            _ = try SessionSpecUpdate(request(["duration_limit"]) { $0.durationLimit = ProtobufDuration(seconds: -1) })
        }
        expectInvalid("spec.data_link_ids[1]") {
            _ = try SessionSpecUpdate(request(["data_link_ids"]) { $0.dataLinkIDs = ["a", "a"] })
        }
    }

    @Test func invalidValuesOfUnnamedFieldsDoNotMatter() throws {
        let update = try SessionSpecUpdate(request(["labels"]) {
            $0.resources = V1Resources(cpuMillis: -1)
            $0.durationLimit = ProtobufDuration(seconds: -5)
        })
        #expect(update.changes == [.labels([:])])
    }
}
