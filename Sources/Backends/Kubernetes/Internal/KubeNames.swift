import SessionSDK

/// The names, labels and annotations of one session's objects, all derived from the
/// session id, so that any instance of the backend finds them again from a handle.
///
/// The base name is `sgw-<slug>`: the id lower-cased, every run of other characters
/// than letters and digits turned into one `-`, at most 40 characters; when that changed
/// the id (or cut it), 8 hex digits of a hash of the whole id follow, so distinct ids
/// never share a name. The base name is a DNS-1123 label (and DNS-1035, starting with a
/// letter), short enough for the pod name `<base>-0` and the StatefulSet's
/// `controller-revision-hash` label.
struct KubeNames: Hashable, Sendable {
    /// The label every object the backend makes carries, with ``managedByValue``.
    static let managedByLabel = "app.kubernetes.io/managed-by"
    /// The value of ``managedByLabel``.
    static let managedByValue = "sessiongw"
    /// The label naming the gateway instance that owns the object.
    static let instanceLabel = "sessiongw.io/instance"
    /// The label carrying the session's slug (the base name without `sgw-`).
    static let sessionLabel = "sessiongw.io/session"
    /// The label carrying the workspace, made label-safe.
    static let workspaceLabel = "sessiongw.io/workspace"
    /// The label naming what the object is to the session: `session`, `home`,
    /// `data-link`, `secrets`, `checkpoint`.
    static let componentLabel = "app.kubernetes.io/component"
    /// The annotation carrying the exact session id.
    static let sessionIDAnnotation = "sessiongw.io/session-id"
    /// The annotation carrying the exact workspace id.
    static let workspaceAnnotation = "sessiongw.io/workspace"
    /// The annotation carrying the session's name.
    static let sessionNameAnnotation = "sessiongw.io/session-name"
    /// The annotation carrying the IDE kind.
    static let ideKindAnnotation = "sessiongw.io/ide-kind"
    /// The annotation set while the session is paused (replicas 0 on purpose, as opposed
    /// to a create that has not scaled up yet).
    static let pausedAnnotation = "sessiongw.io/paused"
    /// The annotation carrying a checkpoint's id.
    static let checkpointAnnotation = "sessiongw.io/checkpoint-id"
    /// The annotation naming the build Job of a session's custom environment (on its
    /// StatefulSet), whose directory on the cache claim the session mounts.
    static let environmentJobAnnotation = "sessiongw.io/environment-job"
    /// The annotation recording why a session's build failed (on its StatefulSet), so
    /// later observations need not read the Job and its pod's log again.
    static let buildFailureAnnotation = "sessiongw.io/build-failure"
    /// The label carrying the first 48 hex digits of an environment's cache key (on
    /// build Jobs), to find the builds of the same environment.
    static let environmentLabel = "sessiongw.io/environment"
    /// The annotation carrying the whole cache key (on build Jobs).
    static let environmentKeyAnnotation = "sessiongw.io/environment-key"

    /// The session.
    var sessionID: SessionID
    /// `sgw-<slug>`.
    var base: String

    /// Derives the names of a session.
    init(sessionID: SessionID) {
        self.sessionID = sessionID
        self.base = "sgw-" + Self.slug(sessionID.rawValue, limit: 40)
    }

    /// The slug, the value of ``sessionLabel``.
    var slug: String { String(base.dropFirst(4)) }
    /// The StatefulSet, and the Service.
    var statefulSet: String { base }
    /// The Service.
    var service: String { base }
    /// The pod the StatefulSet runs.
    var pod: String { "\(base)-0" }
    /// The home PersistentVolumeClaim the backend makes.
    var homeClaim: String { "\(base)-home" }
    /// The Secret of the session's token and secret environment variables.
    var secret: String { "\(base)-env" }
    /// The claim of a data-link, by its directory name.
    func dataLinkClaim(_ name: String) -> String { "\(base)-dl-\(Self.slug(name, limit: 40))" }
    /// The (cluster-wide) persistent volume of a data-link: it names the namespace too.
    func dataLinkVolume(_ name: String, namespace: String) -> String {
        "sgw-\(Self.slug(namespace, limit: 40))-\(slug)-dl-\(Self.slug(name, limit: 40))"
    }
    /// The VolumeSnapshot of a checkpoint.
    func snapshot(_ checkpoint: CheckpointID) -> String { "\(base)-cp-\(Self.slug(checkpoint.rawValue, limit: 60))" }

    /// A DNS-1123 label fragment for `text` (see the type's description).
    static func slug(_ text: String, limit: Int) -> String {
        var output = ""
        var pendingDash = false
        for scalar in text.unicodeScalars {
            let lowered: Character? = switch scalar.value {
            case 0x61...0x7A, 0x30...0x39: Character(scalar)
            case 0x41...0x5A: Character(Unicode.Scalar(scalar.value + 32)!)
            default: nil
            }
            guard let lowered else {
                pendingDash = true
                continue
            }
            if pendingDash && !output.isEmpty { output.append("-") }
            pendingDash = false
            output.append(lowered)
        }
        if output == text && output.count <= limit && !output.isEmpty { return output }
        var head = String(output.prefix(limit - 9))
        while head.hasSuffix("-") { head.removeLast() }
        let hash = String(fnv1a(Array(text.utf8)), radix: 16)
        let digest = String(repeating: "0", count: 8 - hash.count) + hash
        return head.isEmpty ? digest : "\(head)-\(digest)"
    }

    /// A label value for any text: itself when it is one, else its slug.
    static func labelValue(_ text: String) -> String {
        isLabelValue(text) ? text : slug(text, limit: 63)
    }

    /// Whether `text` is a DNS-1123 label: 1–63 lower-case letters, digits and `-`,
    /// starting and ending with a letter or digit.
    static func isDNSLabel(_ text: String) -> Bool {
        guard (1...63).contains(text.utf8.count), text.first != "-", text.last != "-" else { return false }
        return text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    /// Whether `text` is a DNS-1123 subdomain (an object name): labels joined by `.`.
    static func isDNSSubdomain(_ text: String) -> Bool {
        text.utf8.count <= 253 && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    /// Whether `text` is a valid label value: empty, or up to 63 letters, digits, `-`,
    /// `_` and `.`, starting and ending with a letter or digit.
    static func isLabelValue(_ text: String) -> Bool {
        if text.isEmpty { return true }
        guard text.utf8.count <= 63 else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
        }
        let bytes = Array(text.utf8)
        return alphanumeric(bytes.first!) && alphanumeric(bytes.last!)
            && bytes.allSatisfy { alphanumeric($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// 32-bit FNV-1a.
    private static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
    }
}
