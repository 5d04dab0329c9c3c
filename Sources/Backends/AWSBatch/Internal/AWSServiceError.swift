import Foundation
import SessionSDK

/// An error answer from an AWS service: the HTTP status, the service's error code
/// (`ClientException`, `AccessPointNotFound`, `NoSuchKey`, ...) and its message.
struct AWSServiceError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    var status: Int
    /// The error code, without a namespace prefix.
    var code: String
    /// The service's message.
    var message: String
    /// The service, for messages.
    var service: String

    /// `service: code (status): message`.
    var description: String { "\(service) answered \(status) \(code): \(message)" }

    /// Codes the services use for throttling.
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
        "SlowDown", "RequestThrottled", "RequestThrottledException", "ProvisionedThroughputExceededException",
        "LimitExceededException", "BandwidthLimitExceeded", "EC2ThrottledException", "PriorRequestNotComplete",
    ]

    /// Whether the request may succeed when sent again: throttling and server errors.
    var isRetryable: Bool {
        status == 429 || status >= 500 || Self.throttlingCodes.contains(code)
    }

    /// Whether the service is throttling.
    var isThrottling: Bool { status == 429 || Self.throttlingCodes.contains(code) }

    /// Parses an error body: JSON (`__type`/`code`/`ErrorCode` and `message`/`Message`)
    /// or S3's XML (`<Code>` and `<Message>`); the `x-amzn-ErrorType` header wins for
    /// the code when present.
    static func parse(status: Int, errorTypeHeader: String?, body: [UInt8], service: String) -> AWSServiceError {
        var code = ""
        var message = ""
        if let json = try? JSONValue.parse(body) {
            code = json["__type"].string ?? json["code"].string ?? json["ErrorCode"].string ?? json["Code"].string ?? ""
            message = json["message"].string ?? json["Message"].string ?? ""
        } else {
            let text = String(decoding: body, as: UTF8.self)
            code = Self.element("Code", in: text) ?? ""
            message = Self.element("Message", in: text) ?? ""
        }
        if let header = errorTypeHeader, !header.isEmpty { code = header }
        // `aws.protocoltests#Code:http://...` and `com.amazon...#Code` forms.
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        if code.isEmpty { code = "HTTP\(status)" }
        return AWSServiceError(status: status, code: code, message: message, service: service)
    }

    private static func element(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// The ``SessionError`` a caller sees, with `what` saying what was being done.
    func sessionError(_ what: String) -> SessionError {
        let text = "\(what): \(description)"
        if isThrottling { return SessionError(.unavailable, "\(text); retry later", cause: self) }
        if status >= 500 { return SessionError(.unavailable, text, cause: self) }
        switch code {
        case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError":
            return SessionError(.permissionDenied, "\(text); the backend's IAM policy must allow this (see the AWS Batch backend's README)", cause: self)
        case "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "InvalidClientTokenId",
             "ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken", "InvalidAccessKeyId":
            return SessionError(.unauthenticated, "\(text); check the backend's AWS credentials", cause: self)
        case "NoSuchKey", "NoSuchBucket", "AccessPointNotFound", "FileSystemNotFound", "ResourceNotFoundException", "NotFound":
            return SessionError(.notFound, text, cause: self)
        case "AccessPointLimitExceeded", "ServiceQuotaExceededException", "FileSystemLimitExceeded":
            return SessionError(.resourceExhausted, text, cause: self)
        default:
            if status == 404 { return SessionError(.notFound, text, cause: self) }
            if status == 403 { return SessionError(.permissionDenied, text, cause: self) }
            return SessionError(.invalidArgument, text, cause: self)
        }
    }
}
