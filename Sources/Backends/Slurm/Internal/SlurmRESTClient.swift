import Foundation
import Logging
import NIOHTTP1
import SessionSDK

/// Calls slurmrestd: authentication, pacing, and turning HTTP and Slurm errors into
/// ``SessionError``s. Version-specific JSON is left to the ``SlurmRESTAdapter``.
///
/// Authentication: with a user and a JWT (`auth/jwt`), every request carries
/// `X-SLURM-USER-NAME` and `X-SLURM-USER-TOKEN`; the token file is read on each request
/// so a rotated token is picked up. Without a token (slurmrestd on a Unix socket with
/// `rest_auth/local`), no header is sent and slurmrestd uses the socket peer's identity.
/// Token values never appear in logs or errors.
struct SlurmRESTClient: Sendable {
    /// How requests authenticate.
    enum Credentials: Hashable, Sendable {
        /// No headers: `rest_auth/local` over a Unix socket.
        case socketPeer
        /// A JWT given directly.
        case token(user: String, token: String)
        /// A JWT read from a file on every request.
        case tokenFile(user: String, path: String)
    }

    let transport: HTTPTransport
    let adapter: any SlurmRESTAdapter
    let credentials: Credentials
    let pacer: RequestPacer
    let logger: Logger

    /// Whether at least one slurmctld answers.
    func ping() async throws(SessionError) -> Bool {
        try adapter.decodePing(try await call(.GET, adapter.pingPath))
    }

    /// Every job slurmctld knows (running, queued, and recently ended): one call for
    /// all sessions.
    func listJobs() async throws(SessionError) -> [SlurmJob] {
        try adapter.decodeJobs(try await call(.GET, adapter.jobsPath))
    }

    /// Submits a batch job and returns its id.
    ///
    /// - Throws: `INVALID_ARGUMENT` when Slurm refuses the job (partition, resources,
    ///   walltime), with Slurm's words; `RESOURCE_EXHAUSTED` for a usage limit;
    ///   `UNAVAILABLE` when it cannot be reached or cannot take the job right now.
    func submit(_ submission: JobSubmission) async throws(SessionError) -> Int {
        let body = try adapter.encode(submission)
        return try adapter.decodeSubmitted(try await call(.POST, adapter.submitPath, body: body, refusal: .invalidArgument))
    }

    /// Cancels a job; a job that is unknown or already over is not an error.
    func cancel(jobID: Int) async throws(SessionError) {
        do {
            _ = try await call(.DELETE, adapter.cancelPath(jobID: jobID))
        } catch where error.code == .notFound || error.code == .failedPrecondition {
            return
        }
    }

    // MARK: Requests

    private func call(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, refusal: SessionError.Code = .failedPrecondition
    ) async throws(SessionError) -> [UInt8] {
        await pacer.waitForTurn()
        let response = try await transport.send(method: method, path: path, headers: try authenticationHeaders(), body: body)
        let errors = adapter.decodeErrors(response.body)
        if response.status == 401 || response.status == 403 {
            throw SessionError(
                .unauthenticated,
                "slurmrestd at \(transport.target) refused the credentials (HTTP \(response.status)); renew the JWT (scontrol token) or check the user")
        }
        if let unreachable = errors.first(where: \.meansControllerUnreachable) {
            throw SessionError(
                .unavailable, "slurmctld cannot be reached through slurmrestd at \(transport.target): \(unreachable.summary); retry when it is back")
        }
        if let refusal = errors.first(where: \.meansTemporarilyRefused) {
            throw SessionError(.unavailable, "Slurm cannot take the job right now: \(refusal.summary); retry shortly")
        }
        if let limit = errors.first(where: \.meansOverQuota) {
            throw SessionError(.resourceExhausted, "Slurm refused the job for a usage limit: \(limit.summary)")
        }
        if errors.contains(where: { $0.number == 2017 }) {  // ESLURM_INVALID_JOB_ID
            throw SessionError(.notFound, "Slurm has no such job: \(errors[0].summary)")
        }
        if errors.contains(where: { $0.number == 2020 || $0.number == 2021 }) {  // ESLURM_ALREADY_DONE, ESLURM_INTERCONNECT_BUSY
            throw SessionError(.failedPrecondition, "the job is already over: \(errors[0].summary)")
        }
        if errors.contains(where: { $0.detail.lowercased().contains("authentication") || $0.number == 1000 + 3 }) {
            throw SessionError(.unauthenticated, "slurmrestd refused the request: \(errors[0].summary); renew the JWT or check the user")
        }
        if !errors.isEmpty {
            throw SessionError(refusal, "Slurm refused \(method) \(path): \(errors.map(\.summary).joined(separator: "; "))")
        }
        guard (200..<300).contains(response.status) else {
            if response.status >= 500 {
                throw SessionError(
                    .unavailable, "slurmrestd at \(transport.target) answered \(method) \(path) with HTTP \(response.status); retry later")
            }
            throw SessionError(refusal, "slurmrestd answered \(method) \(path) with HTTP \(response.status)")
        }
        return response.body
    }

    private func authenticationHeaders() throws(SessionError) -> [(String, String)] {
        switch credentials {
        case .socketPeer:
            return []
        case .token(let user, let token):
            return [("X-SLURM-USER-NAME", user), ("X-SLURM-USER-TOKEN", token)]
        case .tokenFile(let user, let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SessionError(.unauthenticated, "cannot read the Slurm JWT file \(path); create it with `scontrol token`")
            }
            var token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if token.hasPrefix("SLURM_JWT=") { token.removeFirst("SLURM_JWT=".count) }
            return [("X-SLURM-USER-NAME", user), ("X-SLURM-USER-TOKEN", token)]
        }
    }
}
