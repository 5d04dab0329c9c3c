import ArgumentParser
import Foundation
import Logging
import SessionGateway

/// Where the administration commands find the gateway's store: they run on the
/// gateway's host, next to its data directory, as `kubeadm token` does.
struct AdminOptions: ParsableArguments {
    @Option(help: "The gateway's data directory.")
    var dataDir: String = FileManager.default.homeDirectoryForCurrentUser.path + "/.sessiongw"

    /// Opens the store; a running gateway sees the changes at once.
    ///
    /// - Throws: `ValidationError` when the data directory has no store.
    func openStore() throws -> SessionStore {
        let path = dataDir + "/sessiongw.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("'\(dataDir)' holds no gateway store; start the gateway once, or pass --data-dir")
        }
        return try SessionStore(location: .file(path), logger: Logger(label: "sessiongw.admin") { _ in SwiftLogNoOpLogHandler() })
    }
}
