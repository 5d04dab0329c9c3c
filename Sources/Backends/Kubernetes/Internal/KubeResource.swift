/// A kind of object the backend uses, and where its REST paths are.
struct KubeResource: Hashable, Sendable {
    /// The API group; empty for the core group.
    var group: String
    /// The version.
    var version: String
    /// The plural, lower-case resource name in paths.
    var plural: String
    /// The kind, for messages.
    var kind: String
    /// Whether objects live in namespaces.
    var namespaced: Bool

    /// `apiVersion` of the objects.
    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The path of the collection (`name` nil) or of one object, with a subresource.
    func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(plural)"
        if let name { path += "/\(name)" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    static let pods = KubeResource(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)
    static let services = KubeResource(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true)
    static let secrets = KubeResource(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true)
    static let events = KubeResource(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true)
    static let namespaces = KubeResource(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    static let persistentVolumeClaims = KubeResource(
        group: "", version: "v1", plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true)
    static let persistentVolumes = KubeResource(
        group: "", version: "v1", plural: "persistentvolumes", kind: "PersistentVolume", namespaced: false)
    static let statefulSets = KubeResource(group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet", namespaced: true)
    static let jobs = KubeResource(group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true)
    static let volumeSnapshots = KubeResource(
        group: "snapshot.storage.k8s.io", version: "v1", plural: "volumesnapshots", kind: "VolumeSnapshot", namespaced: true)
}
