import CGRPCProtos
import CProtobufC
import RPCTransport
import SessionAPI
import Testing

/// `provider.proto`'s copies of sessiongw.v1 messages and enums have the same field
/// numbers, names, types and labels, nested messages and enum values included, so the
/// provider conversions may read one as the other (`WireMirror`). A field added to one
/// and not the other fails here.
struct WireMirrorTests {
    @Test func messagesMirrorTheirPublicNamesakes() {
        expectMirrors(ProviderV1SessionSpec.self, V1SessionSpec.self)
        expectMirrors(ProviderV1Resources.self, V1Resources.self)
        expectMirrors(ProviderV1EnvVar.self, V1EnvVar.self)
        expectMirrors(ProviderV1HomeVolume.self, V1HomeVolume.self)
        expectMirrors(ProviderV1DataVolume.self, V1DataVolume.self)
        expectMirrors(ProviderV1DataLink.self, V1DataLink.self)
        expectMirrors(ProviderV1Connection.self, V1Connection.self)
    }

    @Test func theAgentsTerminalMessagesMirrorThePublicOnes() {
        expectMirrors(AgentV1Terminal.self, V1Terminal.self)
        expectMirrors(AgentV1WindowSize.self, V1WindowSize.self)
        expectMirrors(AgentV1AttachTerminalResponse.self, V1AttachTerminalResponse.self)
        expectSameValues(AgentV1TerminalSignal.self, V1TerminalSignal.self)
        expectMirrors(AgentV1Activity.self, V1Activity.self)
        expectMirrors(AgentV1UtilizationSample.self, V1UtilizationSample.self)
        expectMirrors(AgentV1GpuSample.self, V1GpuSample.self)
        expectSameValues(AgentV1ActivityKind.self, V1ActivityKind.self)
    }

    @Test func enumsMirrorTheirPublicNamesakes() {
        expectSameValues(ProviderV1SessionState.self, V1SessionState.self)
        expectSameValues(ProviderV1IDEKind.self, V1IDEKind.self)
        expectSameValues(ProviderV1CheckpointTrigger.self, V1CheckpointTrigger.self)
    }

    @Test func theCheckFindsMessagesThatDiffer() {
        // Other types under the same numbers; other names under the same types.
        #expect(!differences(ProviderV1DataVolume.descriptor, V1Resources.descriptor).isEmpty)
        #expect(!differences(ProviderV1Connection.descriptor, V1DataVolume.descriptor).isEmpty)
        // A nested message that differs: SessionRequest's resources against a spec's.
        #expect(!differences(ProviderV1SessionRequest.descriptor, V1SessionSpec.descriptor).isEmpty)
        #expect(differences(V1SessionSpec.descriptor, V1SessionSpec.descriptor).isEmpty)
    }

    @Test func aMessageReadsAsItsMirror() throws {
        let message = try V1SessionSpec(protobufBytes: ProviderV1Fixtures.spec.protobufBytes())
        #expect(message == V1Fixtures.spec)
    }

    // MARK: Checks

    private func expectMirrors<Provider: ProtobufCCodable, Public: ProtobufCCodable>(
        _: Provider.Type, _: Public.Type, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let found = differences(Provider.descriptor, Public.descriptor)
        #expect(found.isEmpty, "\(Provider.self) differs from \(Public.self): \(found)", sourceLocation: sourceLocation)
    }

    private func expectSameValues<Provider: ProtoEnum, Public: ProtoEnum>(
        _: Provider.Type, _: Public.Type, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for number in Int32(0)...64 {
            let provider = Provider(rawValue: number)?.protoName
            let api = Public(rawValue: number)?.protoName
            #expect(provider == api, "value \(number): \(provider ?? "none") vs \(api ?? "none")", sourceLocation: sourceLocation)
        }
    }

    /// How two message descriptors differ on the wire, field by field and through
    /// nested messages and enums; empty when each reads as the other.
    private func differences(
        _ left: UnsafePointer<ProtobufCMessageDescriptor>, _ right: UnsafePointer<ProtobufCMessageDescriptor>,
        path: String = ""
    ) -> [String] {
        if left == right { return [] }
        let leftFields = fields(of: left)
        let rightFields = fields(of: right)
        var found: [String] = []
        for number in Set(leftFields.keys).union(rightFields.keys).sorted() {
            guard let a = leftFields[number], let b = rightFields[number] else {
                found.append("\(path)#\(number) is in one only")
                continue
            }
            let name = path + String(cString: a.name)
            if String(cString: a.name) != String(cString: b.name) { found.append("\(name) is named \(String(cString: b.name))") }
            if a.type != b.type {
                found.append("\(name) has another type")
                continue
            }
            if a.label != b.label { found.append("\(name) has another label") }
            if a.flags != b.flags { found.append("\(name) has other flags (packed, oneof)") }
            if a.type == PROTOBUF_C_TYPE_MESSAGE, let nestedA = a.descriptor, let nestedB = b.descriptor {
                found += differences(
                    nestedA.assumingMemoryBound(to: ProtobufCMessageDescriptor.self),
                    nestedB.assumingMemoryBound(to: ProtobufCMessageDescriptor.self), path: "\(name).")
            }
            if a.type == PROTOBUF_C_TYPE_ENUM, let enumA = a.descriptor, let enumB = b.descriptor,
                values(of: enumA) != values(of: enumB) {
                found.append("\(name) has other enum values")
            }
        }
        return found
    }

    private func fields(of descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> [UInt32: ProtobufCFieldDescriptor] {
        let message = descriptor.pointee
        let list = UnsafeBufferPointer(start: message.fields, count: Int(message.n_fields))
        return Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
    }

    private func values(of descriptor: UnsafeRawPointer) -> [String: Int32] {
        let enumeration = descriptor.assumingMemoryBound(to: ProtobufCEnumDescriptor.self).pointee
        let list = UnsafeBufferPointer(start: enumeration.values, count: Int(enumeration.n_values))
        return Dictionary(uniqueKeysWithValues: list.map { (String(cString: $0.name), $0.value) })
    }
}
