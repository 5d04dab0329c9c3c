import RPCTransport
import SessionAPI
import SessionSDK
import Testing

/// Bytes made by Google's `protoc` from the `.proto` files, decoded by protobuf-c into
/// the Swift types, and the Swift types encoded back to the same bytes: any gRPC client
/// generated from `proto/` speaks the gateway's wire format.
struct WireCompatibilityTests {
    /// Made from the repository's `proto/` directory with protoc 3.21.12:
    ///
    /// ```
    /// protoc -I. -I/usr/include --encode=sessiongw.v1.CreateSessionRequest sessiongw/v1/session_service.proto <<'EOF'
    /// workspace: "team-a"
    /// name: "train"
    /// spec {
    ///   preset: "jupyter"
    ///   image: "pytorch"
    ///   pod_size: "large"
    ///   resources { cpu_millis: 2500 memory_bytes: 8589934592 gpus: 1 }
    ///   compute_environment: "local"
    ///   env { name: "LOG_LEVEL" value: "debug" }
    ///   env { name: "API_TOKEN" secret_ref: "team-token" }
    ///   home_volume { new_size_bytes: 10737418240 }
    ///   data_volumes { source: "datasets" mount_path: "/mnt/datasets" read_only: true }
    ///   data_link_ids: "dl-1"
    ///   labels { key: "team" value: "ml" }
    ///   duration_limit { seconds: 28800 }
    /// }
    /// EOF
    /// ```
    static let createSessionRequestBytes: [UInt8] = [
        0x0A, 0x06, 0x74, 0x65, 0x61, 0x6D, 0x2D, 0x61, 0x12, 0x05, 0x74, 0x72, 0x61, 0x69, 0x6E, 0x1A,
        0x97, 0x01, 0x0A, 0x07, 0x6A, 0x75, 0x70, 0x79, 0x74, 0x65, 0x72, 0x12, 0x07, 0x70, 0x79, 0x74,
        0x6F, 0x72, 0x63, 0x68, 0x1A, 0x05, 0x6C, 0x61, 0x72, 0x67, 0x65, 0x22, 0x0B, 0x08, 0xC4, 0x13,
        0x10, 0x80, 0x80, 0x80, 0x80, 0x20, 0x18, 0x01, 0x2A, 0x05, 0x6C, 0x6F, 0x63, 0x61, 0x6C, 0x3A,
        0x12, 0x0A, 0x09, 0x4C, 0x4F, 0x47, 0x5F, 0x4C, 0x45, 0x56, 0x45, 0x4C, 0x12, 0x05, 0x64, 0x65,
        0x62, 0x75, 0x67, 0x3A, 0x17, 0x0A, 0x09, 0x41, 0x50, 0x49, 0x5F, 0x54, 0x4F, 0x4B, 0x45, 0x4E,
        0x1A, 0x0A, 0x74, 0x65, 0x61, 0x6D, 0x2D, 0x74, 0x6F, 0x6B, 0x65, 0x6E, 0x42, 0x06, 0x08, 0x80,
        0x80, 0x80, 0x80, 0x28, 0x4A, 0x1B, 0x0A, 0x08, 0x64, 0x61, 0x74, 0x61, 0x73, 0x65, 0x74, 0x73,
        0x12, 0x0D, 0x2F, 0x6D, 0x6E, 0x74, 0x2F, 0x64, 0x61, 0x74, 0x61, 0x73, 0x65, 0x74, 0x73, 0x18,
        0x01, 0x52, 0x04, 0x64, 0x6C, 0x2D, 0x31, 0x5A, 0x0A, 0x0A, 0x04, 0x74, 0x65, 0x61, 0x6D, 0x12,
        0x02, 0x6D, 0x6C, 0x6A, 0x04, 0x08, 0x80, 0xE1, 0x01,
    ]

    static let createSessionRequest = V1CreateSessionRequest(
        workspace: "team-a",
        name: "train",
        spec: V1SessionSpec(
            preset: "jupyter",
            image: "pytorch",
            podSize: "large",
            resources: V1Resources(cpuMillis: 2500, memoryBytes: 8 << 30, gpus: 1),
            computeEnvironment: "local",
            env: [
                V1EnvVar(name: "LOG_LEVEL", source: .value("debug")),
                V1EnvVar(name: "API_TOKEN", source: .secretRef("team-token")),
            ],
            homeVolume: V1HomeVolume(source: .newSizeBytes(10 << 30)),
            dataVolumes: [V1DataVolume(source: "datasets", mountPath: "/mnt/datasets", readOnly: true)],
            dataLinkIDs: ["dl-1"],
            labels: ["team": "ml"],
            durationLimit: ProtobufDuration(seconds: 28800)
        )
    )

    /// Made with protoc 3.21.12 from `proto/`:
    ///
    /// ```
    /// protoc -I. -I/usr/include --encode=sessiongw.provider.v1.SessionStatus sessiongw/provider/v1/provider.proto <<'EOF'
    /// session_id: "s-42"
    /// handle: "pgid:4242"
    /// state: SESSION_STATE_PAUSED
    /// reason: "stopped"
    /// connection { url: "http://h/lab" access_token: "t" }
    /// time_left { seconds: 90 }
    /// EOF
    /// ```
    static let sessionStatusBytes: [UInt8] = [
        0x0A, 0x04, 0x73, 0x2D, 0x34, 0x32, 0x12, 0x09, 0x70, 0x67, 0x69, 0x64, 0x3A, 0x34, 0x32, 0x34,
        0x32, 0x18, 0x07, 0x22, 0x07, 0x73, 0x74, 0x6F, 0x70, 0x70, 0x65, 0x64, 0x2A, 0x11, 0x0A, 0x0C,
        0x68, 0x74, 0x74, 0x70, 0x3A, 0x2F, 0x2F, 0x68, 0x2F, 0x6C, 0x61, 0x62, 0x12, 0x01, 0x74, 0x42,
        0x02, 0x08, 0x5A,
    ]

    @Test func createSessionRequestFromProtoc() throws {
        let decoded = try V1CreateSessionRequest(protobufBytes: Self.createSessionRequestBytes)
        #expect(decoded == Self.createSessionRequest)
        #expect(try Self.createSessionRequest.protobufBytes() == Self.createSessionRequestBytes)
        let spec = try SessionSpec(try #require(decoded.spec))
        #expect(spec.environment.last == .init(name: "API_TOKEN", value: .secret("team-token")))
        #expect(spec.durationLimit == .seconds(28800))
    }

    @Test func providerStatusFromProtoc() throws {
        let decoded = try ProviderV1SessionStatus(protobufBytes: Self.sessionStatusBytes)
        let expected = ProviderV1SessionStatus(
            sessionID: "s-42", handle: "pgid:4242", state: .paused, reason: "stopped",
            connection: ProviderV1Connection(url: "http://h/lab", accessToken: "t"), timeLeft: ProtobufDuration(seconds: 90))
        #expect(decoded == expected)
        #expect(try expected.protobufBytes() == Self.sessionStatusBytes)
        #expect(try ProviderSessionStatus(decoded).state == .paused)
    }
}
