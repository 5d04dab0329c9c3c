// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "sessiongw",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SessionSDK", targets: ["SessionSDK"]),
        .library(name: "RPCTransport", targets: ["RPCTransport"]),
        .library(name: "RPCInterop", targets: ["RPCInterop"]),
        .library(name: "SessionConformance", targets: ["SessionConformance"]),
        .library(name: "ProviderPlugin", targets: ["ProviderPlugin"]),
        .library(name: "LocalBackend", targets: ["LocalBackend"]),
        .executable(name: "sessiongw", targets: ["sessiongw"]),
        .executable(name: "sessiongw-agent", targets: ["sessiongw-agent"]),
        .executable(name: "rpc-interop-server", targets: ["rpc-interop-server"]),
        .executable(name: "rpc-interop-client", targets: ["rpc-interop-client"]),
        .executable(name: "protoc-gen-sessiongw-swift", targets: ["protoc-gen-sessiongw-swift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // C libraries and the protoc-c output.
        .systemLibrary(
            name: "CNghttp2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .target(
            name: "CGRPCProtos",
            dependencies: ["CProtobufC"]
        ),
        .target(
            name: "CProtos",
            dependencies: ["CProtobufC", "CGRPCProtos"]
        ),
        .target(
            name: "CProtocPlugin",
            dependencies: ["CProtobufC"]
        ),
        .target(
            name: "CPseudoTerminal"
        ),

        // The protoc plugin that writes the Swift bindings (scripts/generate-protos.sh runs it).
        .executableTarget(
            name: "protoc-gen-sessiongw-swift",
            dependencies: ["CProtobufC", "CProtocPlugin"],
            swiftSettings: swiftSettings
        ),

        // The core: no NIO, no C, no backend code.
        .target(
            name: "SessionSDK",
            swiftSettings: swiftSettings
        ),

        // Inside a session: the agent's terminals (and, behind them, its service).
        .target(
            name: "SessionAgent",
            dependencies: [
                "SessionSDK", "SessionAPI", "RPCTransport", "CPseudoTerminal",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Home directories, tar.gz checkpoints and environment cache keys, shared by the backends.
        .target(
            name: "BackendStorage",
            dependencies: [
                "SessionSDK", .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Backends/Storage",
            swiftSettings: swiftSettings
        ),

        // The embedded default backend: sessions as local process groups.
        .target(
            name: "LocalBackend",
            dependencies: [
                "SessionSDK",
                "BackendStorage",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/Local",
            swiftSettings: swiftSettings
        ),

        // The Slurm backend: sessions as batch jobs through slurmrestd.
        .target(
            name: "SlurmBackend",
            dependencies: [
                "SessionSDK",
                "BackendStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Backends/Slurm",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // The AWS Batch backend: sessions as Batch jobs with EFS homes and S3 checkpoints.
        .target(
            name: "AWSBatchBackend",
            dependencies: [
                "SessionSDK",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Backends/AWSBatch",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // The Kubernetes backend: sessions as StatefulSets with PVC homes and VolumeSnapshot checkpoints.
        .target(
            name: "KubernetesBackend",
            dependencies: [
                "SessionSDK",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Backends/Kubernetes",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // The conformance kit: cases any SessionProvider must pass, and a fault injector.
        .target(
            name: "SessionConformance",
            dependencies: ["SessionSDK", "SessionAPI", "RPCTransport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // The public API and provider API messages, converted to and from protobuf-c.
        .target(
            name: "SessionAPI",
            dependencies: ["SessionSDK", "RPCTransport", "CProtos", "CGRPCProtos", "CProtobufC"],
            swiftSettings: swiftSettings
        ),

        // A provider out of process: served from a plugin's package, reached by the gateway.
        .target(
            name: "ProviderPlugin",
            dependencies: [
                "SessionSDK",
                "SessionAPI",
                "RPCTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The gateway: store, services, reconciler, configuration.
        .target(
            name: "SessionGateway",
            dependencies: [
                "SessionSDK",
                "SessionAPI",
                "RPCTransport",
                "ProviderPlugin",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),

        // gRPC over HTTP/2 on libnghttp2 and libprotobuf-c.
        .target(
            name: "RPCTransport",
            dependencies: [
                "CNghttp2",
                "CProtobufC",
                // gRPC's own protos only: the transport knows no application's messages.
                "CGRPCProtos",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        // The gRPC interoperability service and client cases.
        .target(
            name: "RPCInterop",
            dependencies: ["RPCTransport", "CProtobufC", "CGRPCProtos", "CProtos"],
            swiftSettings: swiftSettings
        ),
        // examples/provider-plugin's plugin, built here too so that CI runs the
        // conformance kit against it (scripts/conformance-local.sh).
        .executableTarget(
            name: "example-provider-plugin",
            dependencies: [
                "ProviderPlugin",
                "SessionSDK",
                "LocalBackend",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "examples/provider-plugin/Sources/ExampleProviderPlugin",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sessiongw-agent",
            dependencies: [
                "SessionAgent", "SessionSDK",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rpc-interop-server",
            dependencies: [
                "RPCInterop",
                "RPCTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rpc-interop-client",
            dependencies: [
                "RPCInterop",
                "RPCTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // The program: the composition root that builds the backends into the gateway, and the CLI.
        .executableTarget(
            name: "sessiongw",
            dependencies: [
                "SessionSDK",
                "SessionAPI",
                "SessionGateway",
                "SessionConformance",
                "RPCTransport",
                // The composition root builds these backends in.
                "LocalBackend",
                "SlurmBackend",
                "AWSBatchBackend",
                "KubernetesBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // What the Swift test targets share: a gateway in process over the generated
        // typed clients, polling, loopback HTTP.
        .target(
            name: "SessionTestSupport",
            dependencies: [
                "SessionGateway", "SessionAPI", "SessionSDK", "RPCTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SessionTestSupport",
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "SessionSDKTests",
            dependencies: ["SessionSDK"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GeneratedBindingsTests",
            dependencies: ["RPCTransport", "CProtos", "CProtobufC"],
            exclude: ["reference.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SessionAPITests",
            dependencies: ["SessionAPI", "SessionSDK", "RPCTransport", "CProtobufC", "CGRPCProtos"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SessionAgentTests",
            dependencies: ["SessionAgent", "SessionSDK", "SessionAPI", "RPCTransport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LocalBackendTests",
            dependencies: [
                "LocalBackend",
                "SessionSDK",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SessionGatewayTests",
            dependencies: [
                "SessionTestSupport",
                "SessionGateway", "SessionAPI", "SessionSDK", "RPCTransport", "LocalBackend", "ProviderPlugin",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Store/Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SessionConformanceTests",
            dependencies: [
                "SessionConformance", "SessionSDK", "LocalBackend", "SessionGateway", "RPCTransport", "ProviderPlugin",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SlurmBackendTests",
            dependencies: [
                "SessionTestSupport",
                "SlurmBackend", "SessionSDK", "SessionConformance", "SessionGateway", "SessionAPI", "RPCTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AWSBatchBackendTests",
            dependencies: [
                "SessionTestSupport",
                "AWSBatchBackend", "SessionSDK", "SessionConformance", "SessionGateway", "SessionAPI", "RPCTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubernetesBackendTests",
            dependencies: [
                "SessionTestSupport",
                "KubernetesBackend", "SessionSDK", "SessionConformance", "SessionGateway", "SessionAPI", "RPCTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "sessiongwTests",
            dependencies: [
                "sessiongw",
                "SessionAPI",
                "SessionConformance",
                "SessionGateway",
                "SessionSDK",
                "RPCTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RPCTransportTests",
            dependencies: [
                "RPCTransport",
                "RPCInterop",
                "CGRPCProtos",
                "CProtos",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
