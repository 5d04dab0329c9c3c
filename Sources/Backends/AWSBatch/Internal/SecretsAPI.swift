import NIOHTTP1
import SessionSDK

/// The AWS Secrets Manager operations the backend uses (JSON 1.1, `X-Amz-Target:
/// secretsmanager.<Operation>`). Secret values go in request bodies of this client
/// only; they are never logged and never part of an error message (the service's
/// messages name secrets, not their values).
struct SecretsAPI: Sendable {
    /// The signed client for `secretsmanager`.
    var client: AWSServiceClient

    private func call(_ operation: String, _ body: JSONValue, what: String) async throws -> JSONValue {
        let response = try await client.send(
            .POST, path: "/",
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "secretsmanager.\(operation)")],
            body: body.bytes, what: what)
        return try response.json()
    }

    /// Puts `value` as the current value of the secret `name`, creating the secret with
    /// `tags` when it does not exist (PutSecretValue, else CreateSecret; a create that
    /// lost a race, or whose lost answer had taken effect, is followed by PutSecretValue).
    ///
    /// - Returns: the secret's ARN.
    func put(name: String, value: String, tags: [String: String]) async throws -> String {
        let what = "storing secret '\(name)'"
        for _ in 0..<3 {
            do {
                let answer = try await call("PutSecretValue", ["SecretId": .string(name), "SecretString": .string(value)], what: what)
                if let arn = answer["ARN"].string { return arn }
                throw SessionError(.unavailable, "AWS Secrets Manager answered PutSecretValue without an ARN")
            } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
            } catch let error as AWSServiceError {
                throw error.sessionError(what)
            }
            do {
                let tagList = tags.sorted { $0.key < $1.key }.map { JSONValue.object(["Key": .string($0.key), "Value": .string($0.value)]) }
                let answer = try await call(
                    "CreateSecret",
                    [
                        "Name": .string(name), "SecretString": .string(value), "Tags": .array(tagList),
                        "Description": "sessiongw: secret variables of one session",
                    ], what: what)
                if let arn = answer["ARN"].string { return arn }
                throw SessionError(.unavailable, "AWS Secrets Manager answered CreateSecret without an ARN")
            } catch let error as AWSServiceError where error.code == "ResourceExistsException" {
                continue
            } catch let error as AWSServiceError {
                throw error.sessionError(what)
            }
        }
        throw SessionError(.unavailable, "\(what): the secret kept appearing and disappearing; retry")
    }

    /// DeleteSecret without a recovery window; a secret that is already gone is fine.
    func delete(name: String) async throws {
        do {
            _ = try await call(
                "DeleteSecret", ["SecretId": .string(name), "ForceDeleteWithoutRecovery": true], what: "deleting secret '\(name)'")
        } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
        } catch let error as AWSServiceError {
            throw error.sessionError("deleting secret '\(name)'")
        }
    }

    /// Every secret whose name starts with `prefix` (ListSecrets with a `name` filter,
    /// following `NextToken`): the list entries, with `Name`, `ARN` and `Tags`.
    func secrets(namePrefix prefix: String) async throws -> [JSONValue] {
        var secrets: [JSONValue] = []
        var token: String?
        repeat {
            var request: [String: JSONValue] = ["Filters": [["Key": "name", "Values": [.string(prefix)]]], "MaxResults": 100]
            if let token { request["NextToken"] = .string(token) }
            let answer: JSONValue
            do {
                answer = try await call("ListSecrets", .object(request), what: "listing secrets under '\(prefix)'")
            } catch let error as AWSServiceError {
                throw error.sessionError("listing secrets under '\(prefix)'")
            }
            secrets += answer["SecretList"].array
            token = answer["NextToken"].string
        } while token != nil
        return secrets.filter { ($0["Name"].string ?? "").hasPrefix(prefix) }
    }
}
