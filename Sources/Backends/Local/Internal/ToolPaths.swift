import Glibc

/// Absolute paths of the programs the Local backend runs, looked up once, so that a
/// session's `PATH` cannot change which `mount`, `unshare` or `bwrap` its setup uses.
struct ToolPaths: Hashable, Sendable {
    /// `sh`.
    var shell: String
    /// `setsid` (util-linux).
    var setsid: String
    /// `unshare` (util-linux).
    var unshare: String
    /// `mount` (util-linux).
    var mount: String
    /// `setpriv` (util-linux), which drops to the sandbox user when the gateway is root.
    var setpriv: String
    /// `bwrap` (bubblewrap), which builds each session's sandbox.
    var bwrap: String
    /// `chown`, which gives a session's home to the sandbox user.
    var chown: String
    /// `mkdir`.
    var mkdir: String
    /// `rm`.
    var rm: String
    /// `mv`, which publishes a built environment into the cache.
    var mv: String
    /// GNU `tar`.
    var tar: String
    /// Tools that were not found; the provider is not ready while any is missing.
    var missing: [String]

    /// The directories tools are looked up in, in order.
    static let searchPath = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]

    /// `name` in the first of `directories` that has it as an executable.
    static func locate(_ name: String, in directories: [String] = searchPath) -> String? {
        directories.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Finds each tool in the first of `directories` that has it.
    init(searching directories: [String] = Self.searchPath) {
        var missing: [String] = []
        func find(_ name: String) -> String {
            if let path = Self.locate(name, in: directories) { return path }
            missing.append(name)
            return name
        }
        shell = find("sh")
        setsid = find("setsid")
        unshare = find("unshare")
        mount = find("mount")
        setpriv = find("setpriv")
        bwrap = find("bwrap")
        chown = find("chown")
        mkdir = find("mkdir")
        rm = find("rm")
        mv = find("mv")
        tar = find("tar")
        self.missing = missing
    }
}
