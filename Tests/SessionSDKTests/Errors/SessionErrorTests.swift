import Testing
@testable import SessionSDK

@Suite("SessionError")
struct SessionErrorTests {
    /// The gRPC status codes, numbers and names, from the gRPC specification.
    static let grpcTable: [(SessionError.Code, Int, String)] = [
        (.cancelled, 1, "CANCELLED"),
        (.unknown, 2, "UNKNOWN"),
        (.invalidArgument, 3, "INVALID_ARGUMENT"),
        (.deadlineExceeded, 4, "DEADLINE_EXCEEDED"),
        (.notFound, 5, "NOT_FOUND"),
        (.alreadyExists, 6, "ALREADY_EXISTS"),
        (.permissionDenied, 7, "PERMISSION_DENIED"),
        (.resourceExhausted, 8, "RESOURCE_EXHAUSTED"),
        (.failedPrecondition, 9, "FAILED_PRECONDITION"),
        (.aborted, 10, "ABORTED"),
        (.outOfRange, 11, "OUT_OF_RANGE"),
        (.unimplemented, 12, "UNIMPLEMENTED"),
        (.internalError, 13, "INTERNAL"),
        (.unavailable, 14, "UNAVAILABLE"),
        (.dataLoss, 15, "DATA_LOSS"),
        (.unauthenticated, 16, "UNAUTHENTICATED"),
    ]

    @Test("each code is its gRPC status number and name", arguments: grpcTable)
    func mapsToGRPC(_ code: SessionError.Code, _ number: Int, _ name: String) {
        #expect(code.rawValue == number)
        #expect(code.description == name)
        #expect(SessionError.Code(grpcStatus: number) == code)
        #expect(SessionError.Code.all.contains(code))
    }

    @Test("the list of codes is the table, without repeats")
    func allCodesDistinct() {
        let all = SessionError.Code.all
        #expect(all.count == Self.grpcTable.count)
        #expect(Set(all) == Set(Self.grpcTable.map(\.0)))
        #expect(Set(all.map(\.rawValue)).count == all.count, "two codes share a number")
        #expect(Set(all.map(\.description)).count == all.count, "two codes share a name")
        for code in all {
            #expect(SessionError.Code(grpcStatus: code.rawValue) == code)
        }
    }

    @Test("OK and numbers without a code give nil", arguments: [0, 17, -1, 100])
    func noCode(_ number: Int) {
        #expect(SessionError.Code(grpcStatus: number) == nil)
    }

    @Test("the description is the code and the message, never the cause")
    func description() {
        struct Secret: Error, CustomStringConvertible { var description: String { "token=hunter2" } }
        let error = SessionError(.failedPrecondition, "the session is RUNNING: pause it first", cause: Secret())
        #expect(error.description == "FAILED_PRECONDITION: the session is RUNNING: pause it first")
        #expect(error.cause is Secret)
    }
}
