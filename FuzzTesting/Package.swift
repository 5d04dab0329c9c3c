// swift-tools-version: 6.1
// Fuzz targets for the transport, built only by scripts/fuzz.sh with libFuzzer:
//   swift build --package-path FuzzTesting -Xswiftc -sanitize=fuzzer,address
import Foundation
import PackageDescription

// The root package's identity is its directory's name, which differs between clones.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let dependencies: [Target.Dependency] = [
    .product(name: "RPCTransport", package: rootIdentity),
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOEmbedded", package: "swift-nio"),
    .product(name: "Logging", package: "swift-log"),
]

let package = Package(
    name: "FuzzTesting",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: root.path),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzHTTP2Server",
            dependencies: dependencies + [
                .product(name: "RPCInterop", package: rootIdentity), "HTTP2FrameMutator",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        ),
        // FuzzHTTP2Server's structure-aware mutator (LLVMFuzzerCustomMutator), in C: it
        // re-encodes header blocks with nghttp2's HPACK deflater.
        .target(
            name: "HTTP2FrameMutator",
            linkerSettings: [.linkedLibrary("nghttp2")]
        ),
        .executableTarget(
            name: "FuzzMessageDecoder",
            dependencies: dependencies + [.product(name: "RPCInterop", package: rootIdentity)],
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
