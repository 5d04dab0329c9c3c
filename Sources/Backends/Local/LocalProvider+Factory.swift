import Foundation
public import Logging
public import SessionSDK

extension LocalProvider {
    /// The factory of `local` compute environments.
    ///
    /// Sessions, volumes and checkpoints live under the context's directory, emulated
    /// buckets under its `buckets` (or the `bucketsDirectory` setting); a directory is
    /// made at start for every bucket the environment lists (and any the `buckets`
    /// setting names, comma-separated). `file://` links only under the roots the
    /// `fileLinkRoots` setting lists (comma-separated; none by default). Sessions never
    /// see the context's hidden directories. `growingHomes: "true"` makes new homes
    /// filesystems of their own (see ``Configuration/growingHomes``).
    public static func factory(logger: Logger) -> BackendFactory {
        BackendFactory(kind: "local") { context in
            var configuration = Configuration.defaults(dataDirectory: context.directory)
            if let buckets = context.settings["bucketsDirectory"] { configuration.bucketsDirectory = buckets }
            configuration.hiddenDirectories = context.hiddenDirectories
            configuration.fileLinkRoots = BackendFactory.list(context.settings["fileLinkRoots"])
            configuration.growingHomes = context.settings["growingHomes"] == "true"
            let environment = context.environment
            let named = Set(environment.writableBuckets + environment.readableBuckets + BackendFactory.list(context.settings["buckets"]))
            for bucket in named where !bucket.contains("/") && !bucket.hasPrefix(".") {
                do {
                    try FileManager.default.createDirectory(
                        atPath: configuration.bucketsDirectory + "/" + bucket, withIntermediateDirectories: true)
                } catch {
                    throw SessionError(.failedPrecondition, "cannot create the emulated bucket '\(bucket)' in \(configuration.bucketsDirectory)", cause: error)
                }
            }
            return LocalProvider(configuration: configuration, logger: logger)
        }
    }
}
