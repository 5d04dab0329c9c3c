import Foundation
import LocalBackend
import Logging
import ProviderPlugin
import SessionSDK

// example-provider-plugin --listen unix:/run/capped-local.sock --data-dir DIR [--max-cpu-millis N]
var options = ["--max-cpu-millis": "4000"]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard ["--listen", "--data-dir", "--max-cpu-millis"].contains(name), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: example-provider-plugin --listen ADDRESS --data-dir DIR [--max-cpu-millis N]\n".utf8))
        exit(2)
    }
    options[name] = value
}
guard let listen = options["--listen"], let directory = options["--data-dir"], let cap = Int(options["--max-cpu-millis"]!) else {
    FileHandle.standardError.write(Data("example-provider-plugin: --listen and --data-dir are required\n".utf8))
    exit(2)
}

let logger = Logger(label: "example-provider-plugin")
// The Local backend keeps sessions under DIR and emulated buckets under DIR/buckets.
let local = try await LocalProvider.factory(logger: logger).make(BackendFactory.Context(
    environment: ComputeEnvironment(id: "capped-local", backend: "local"), settings: [:], directory: directory))
try await ProviderPlugin.serve(CappedProvider(local, maxCPUMillis: cap), listen: listen, logger: logger) { addresses in
    for address in addresses { print("example-provider-plugin listening on \(address)") }
    fflush(nil)
}
