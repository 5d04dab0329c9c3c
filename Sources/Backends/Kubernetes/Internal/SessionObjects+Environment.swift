import BackendStorage
import SessionSDK

/// The custom environment's objects (with ``KubernetesProvider/Configuration/environmentCacheClaim``):
///
/// - Job `sessiongw-env-<key>-<random>` (``newBuildJobName(key:)``): one build attempt of an environment, shared by
///   every session of this gateway instance that asks for the same packages on the
///   same image. It runs ``EnvironmentBuild/script`` in the session's image (so the
///   environment matches the image's Python) as the session's user, with the session's
///   resources and security contexts, no service account token, a private `/tmp` and
///   the pip-neutral ``EnvironmentBuild/variables`` (and the operator's
///   ``KubernetesProvider/Configuration/environmentBuildVariables``), writing into its own directory of
///   the cache claim (subPath = the Job's name) at `/srv/environment`; `backoffLimit`
///   0 and the configured deadline. A Complete Job is the cache entry; a Failed one is
///   kept (its pod's log explains the failure), and the next session retries with a
///   new Job.
/// - In the session's pod: the cache claim's volume, the Job's directory mounted
///   read-only at `/srv/environment`, `PATH` and `VIRTUAL_ENV` set.
extension SessionObjects {
    /// The name of the cache claim's volume in pods.
    static let environmentVolume = "environment"
    /// `PATH` of session containers whose request sets none (the usual images' default).
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The cache key of the request's environment; nil without packages.
    var environmentKey: String? {
        guard !request.packages.isEmpty else { return nil }
        let variables = configuration.environmentBuildVariables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return EnvironmentCacheKey.of(image: request.image, packages: request.packages, settings: variables)
    }

    /// The label value that finds the builds of a cache key.
    static func environmentLabel(_ key: String) -> String { String(key.prefix(48)) }

    /// The session's environment volume and mount, when it has a build Job.
    var environmentMount: (volume: KubeObject, mount: KubeObject)? {
        guard let environmentJob, let claim = configuration.environmentCacheClaim else { return nil }
        return (
            ["name": .string(Self.environmentVolume), "persistentVolumeClaim": ["claimName": .string(claim), "readOnly": true]],
            ["name": .string(Self.environmentVolume), "mountPath": .string(EnvironmentBuild.path),
             "subPath": .string(environmentJob), "readOnly": true]
        )
    }

    /// A new name for a build Job of a cache key: `sessiongw-env-<32 hex of the key>-<5
    /// random letters and digits>`, so that its pod's name fits a label.
    static func newBuildJobName(key: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var generator = SystemRandomNumberGenerator()
        return "sessiongw-env-\(key.prefix(32))-" + String((0..<5).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A build Job of the request's environment, `name`.
    func buildJob(key: String, name: String) -> KubeObject {
        let labels: KubeObject = [
            KubeNames.managedByLabel: .string(KubeNames.managedByValue),
            KubeNames.instanceLabel: .string(configuration.instance),
            KubeNames.componentLabel: "environment-build",
            KubeNames.environmentLabel: .string(Self.environmentLabel(key)),
        ]
        var variables: [KubeObject] = [["name": "PATH", "value": .string(request.environment["PATH"] ?? Self.defaultPath)]]
        let buildVariables = configuration.environmentBuildVariables.merging(EnvironmentBuild.variables) { _, build in build }
        for (name, value) in buildVariables.sorted(by: { $0.key < $1.key }) {
            variables.append(["name": .string(name), "value": .string(value)])
        }
        let container: KubeObject = [
            "name": "build",
            "image": .string(request.image),
            "command": .array((["sh", "-c", EnvironmentBuild.script, "environment-build"] + request.packages).map { .string($0) }),
            "workingDir": "/tmp",
            "env": .array(variables),
            "resources": resources(),
            "volumeMounts": [
                ["name": .string(Self.environmentVolume), "mountPath": .string(EnvironmentBuild.path), "subPath": .string(name)],
                ["name": "tmp", "mountPath": "/tmp"],
            ],
            "securityContext": containerSecurityContext(),
        ]
        var spec: KubeObject = [
            "restartPolicy": "Never",
            "containers": [container],
            "volumes": [
                ["name": .string(Self.environmentVolume), "persistentVolumeClaim": ["claimName": .string(configuration.environmentCacheClaim ?? "")]],
                ["name": "tmp", "emptyDir": ["sizeLimit": "4Gi"]],
            ],
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "securityContext": podSecurityContext(),
        ]
        let pool = pool
        if !pool.nodeSelector.isEmpty { spec["nodeSelector"] = .object(pool.nodeSelector.mapValues { .string($0) }) }
        return [
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": [
                "name": .string(name), "namespace": .string(namespace), "labels": labels,
                "annotations": [
                    KubeNames.environmentKeyAnnotation: .string(key),
                    "sessiongw.io/packages": .string(request.packages.joined(separator: " ")),
                ],
            ],
            "spec": [
                "backoffLimit": 0,
                "activeDeadlineSeconds": .int(Int64(configuration.environmentBuildTimeoutSeconds)),
                "template": ["metadata": ["labels": labels], "spec": spec],
            ],
        ]
    }
}
