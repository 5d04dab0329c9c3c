import Foundation
import SessionSDK
import Yams

/// The API server's address and how to authenticate to it, read from a kubeconfig file
/// or the pod's service account. Secrets (the token, the client key) are kept here only
/// and never appear in messages or logs.
struct KubeCredentials: Sendable {
    /// Where the bearer token comes from.
    enum Token: Sendable {
        /// None: client certificate authentication.
        case none
        /// A fixed token (a kubeconfig's `token`).
        case fixed(String)
        /// A file read on every request (`tokenFile`, the service account's projected token,
        /// which the kubelet rotates).
        case file(String)
    }

    /// `https://host:port`, without a trailing `/`.
    var server: String
    /// The host, for TLS server name checks.
    var host: String
    /// The port.
    var port: Int
    /// The namespace the context or service account names.
    var namespace: String?
    /// The bearer token.
    var token: Token
    /// PEM of the certificate authorities to trust; nil: the system's.
    var certificateAuthorityPEM: [UInt8]?
    /// PEM of the client certificate chain.
    var clientCertificatePEM: [UInt8]?
    /// PEM of the client key.
    var clientKeyPEM: [UInt8]?
    /// Whether the server's certificate is not verified (only when explicitly allowed).
    var insecureSkipTLSVerify: Bool

    /// The current bearer token, if any.
    func bearerToken() throws(SessionError) -> String? {
        switch token {
        case .none: return nil
        case .fixed(let value): return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SessionError(.unauthenticated, "the Kubernetes token file \(path) cannot be read")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// A key that is the same for credentials that need the same TLS setup.
    var tlsKey: String {
        let parts = [certificateAuthorityPEM, clientCertificatePEM, clientKeyPEM].map { $0.map { String($0.hashValue) } ?? "-" }
        return parts.joined(separator: "/") + (insecureSkipTLSVerify ? "/insecure" : "")
    }

    // MARK: Loading

    /// Loads what `source` names.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a kubeconfig that cannot be used (naming what is
    ///   wrong), `FAILED_PRECONDITION` outside a cluster for in-cluster credentials.
    static func load(
        _ source: KubernetesProvider.Configuration.Credentials, allowInsecure: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SessionError) -> KubeCredentials {
        switch source {
        case .kubeconfig(let path, let context):
            return try fromKubeconfig(path: path, context: context, allowInsecure: allowInsecure)
        case .inCluster:
            return try inCluster(environment: environment, root: "/var/run/secrets/kubernetes.io/serviceaccount")
        }
    }

    /// The pod's service account.
    static func inCluster(environment: [String: String], root: String) throws(SessionError) -> KubeCredentials {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw SessionError(
                .failedPrecondition,
                "KUBERNETES_SERVICE_HOST is not set: the gateway is not running in a pod; give the kubernetes setting 'kubeconfig'")
        }
        let port = Int(environment["KUBERNETES_SERVICE_PORT"] ?? "443") ?? 443
        guard FileManager.default.fileExists(atPath: "\(root)/token") else {
            throw SessionError(.failedPrecondition, "\(root)/token does not exist: the pod has no service account token mounted")
        }
        let namespace = FileManager.default.contents(atPath: "\(root)/namespace").map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let hostInURL = host.contains(":") ? "[\(host)]" : host
        return KubeCredentials(
            server: "https://\(hostInURL):\(port)", host: host, port: port, namespace: namespace, token: .file("\(root)/token"),
            certificateAuthorityPEM: FileManager.default.contents(atPath: "\(root)/ca.crt").map { Array($0) },
            clientCertificatePEM: nil, clientKeyPEM: nil, insecureSkipTLSVerify: false)
    }

    /// A kubeconfig file's context (its current one when `contextName` is nil).
    static func fromKubeconfig(path: String, context contextName: String?, allowInsecure: Bool) throws(SessionError) -> KubeCredentials {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SessionError(.invalidArgument, "the kubeconfig \(path) cannot be read")
        }
        let document: Any?
        do {
            document = try Yams.load(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw SessionError(.invalidArgument, "the kubeconfig \(path) is not YAML: \(error)")
        }
        guard let root = document as? [String: Any] else {
            throw SessionError(.invalidArgument, "the kubeconfig \(path) is not a YAML mapping")
        }
        func named(_ list: String, _ name: String, _ field: String) throws(SessionError) -> [String: Any] {
            let entries = root[list] as? [[String: Any]] ?? []
            guard let entry = entries.first(where: { ($0["name"] as? String) == name }), let body = entry[field] as? [String: Any] else {
                throw SessionError(.invalidArgument, "the kubeconfig \(path) has no \(field) named '\(name)' in '\(list)'")
            }
            return body
        }
        guard let contextName = contextName ?? (root["current-context"] as? String), !contextName.isEmpty else {
            throw SessionError(.invalidArgument, "the kubeconfig \(path) has no current-context; give the kubernetes setting 'context'")
        }
        let context = try named("contexts", contextName, "context")
        guard let clusterName = context["cluster"] as? String else {
            throw SessionError(.invalidArgument, "context '\(contextName)' of the kubeconfig \(path) names no cluster")
        }
        let cluster = try named("clusters", clusterName, "cluster")
        let user = try (context["user"] as? String).map { name throws(SessionError) in try named("users", name, "user") } ?? [:]
        let directory = (path as NSString).deletingLastPathComponent

        guard let server = cluster["server"] as? String, let url = URLComponents(string: server), url.scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw SessionError(.invalidArgument, "cluster '\(clusterName)' of the kubeconfig \(path) has no https:// server")
        }
        let port = url.port ?? 443
        let insecure = cluster["insecure-skip-tls-verify"] as? Bool ?? false
        if insecure && !allowInsecure {
            throw SessionError(
                .invalidArgument,
                "cluster '\(clusterName)' of the kubeconfig \(path) sets insecure-skip-tls-verify, which lets anyone on the network impersonate the API server; give its certificate-authority, or set the kubernetes setting 'allowInsecureTLS: true' to accept the risk")
        }
        func material(_ dataKey: String, _ fileKey: String, in section: [String: Any], _ what: String) throws(SessionError) -> [UInt8]? {
            if let encoded = section[dataKey] as? String {
                guard let decoded = Data(base64Encoded: encoded.filter { !$0.isWhitespace }) else {
                    throw SessionError(.invalidArgument, "\(dataKey) of the \(what) in the kubeconfig \(path) is not base64")
                }
                return Array(decoded)
            }
            if let file = section[fileKey] as? String {
                let resolved = file.hasPrefix("/") ? file : "\(directory)/\(file)"
                guard let contents = FileManager.default.contents(atPath: resolved) else {
                    throw SessionError(.invalidArgument, "\(fileKey) \(resolved) of the \(what) in the kubeconfig \(path) cannot be read")
                }
                return Array(contents)
            }
            return nil
        }
        if user["exec"] != nil || user["auth-provider"] != nil {
            throw SessionError(
                .invalidArgument,
                "user '\(context["user"] as? String ?? "")' of the kubeconfig \(path) uses an exec or auth-provider plugin, which the backend does not run; give it a token, token file or client certificate")
        }
        var token = Token.none
        if let value = user["token"] as? String, !value.isEmpty {
            token = .fixed(value)
        } else if let file = user["tokenFile"] as? String, !file.isEmpty {
            token = .file(file.hasPrefix("/") ? file : "\(directory)/\(file)")
        }
        let certificate = try material("client-certificate-data", "client-certificate", in: user, "user")
        let key = try material("client-key-data", "client-key", in: user, "user")
        guard (certificate == nil) == (key == nil) else {
            throw SessionError(.invalidArgument, "user '\(context["user"] as? String ?? "")' of the kubeconfig \(path) has a client certificate without its key, or a key without its certificate")
        }
        if case .none = token, certificate == nil {
            throw SessionError(.invalidArgument, "user '\(context["user"] as? String ?? "")' of the kubeconfig \(path) has neither a token nor a client certificate")
        }
        let hostInURL = host.contains(":") ? "[\(host)]" : host
        return KubeCredentials(
            server: "https://\(hostInURL):\(port)", host: host, port: port, namespace: context["namespace"] as? String, token: token,
            certificateAuthorityPEM: try material("certificate-authority-data", "certificate-authority", in: cluster, "cluster"),
            clientCertificatePEM: certificate, clientKeyPEM: key, insecureSkipTLSVerify: insecure)
    }
}
