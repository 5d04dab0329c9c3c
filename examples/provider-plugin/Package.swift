// swift-tools-version: 6.1
// A backend plugin in its own package: the Local backend behind a CPU cap, served out
// of process with ProviderPlugin.serve. A gateway reaches it through a compute
// environment with `backend: remote` and `address: unix:/run/capped-local.sock`.
import Foundation
import PackageDescription

// Here the SDK is this repository, two directories up; a path dependency's identity is
// its directory's name, which differs between clones. In your own package, depend on
// the repository by URL and name its products with package: "sessiongw".
let sdk = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sdkIdentity = sdk.lastPathComponent.lowercased()

let package = Package(
    name: "example-provider-plugin",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: sdk.path),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "ExampleProviderPlugin",
            dependencies: [
                .product(name: "ProviderPlugin", package: sdkIdentity),
                .product(name: "SessionSDK", package: sdkIdentity),
                .product(name: "LocalBackend", package: sdkIdentity),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
