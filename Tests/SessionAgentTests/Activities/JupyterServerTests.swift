import Foundation
@testable import SessionAgent
import Testing

/// What the agent reads of a Jupyter server's answers: HTTP responses (whole or chunked)
/// and its timestamps. The REST calls themselves run against a real Jupyter server in
/// `Tests/gateway/test_session_panel.py`.
struct JupyterServerTests {
    @Test func aResponseWithALengthOrChunksGivesItsBody() throws {
        let plain = try LoopbackHTTP.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]".utf8))
        #expect(plain.status == 200 && plain.body == Array("[]".utf8))
        let chunked = try LoopbackHTTP.parse(Array(
            "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n".utf8))
        #expect(chunked.status == 404 && String(decoding: chunked.body, as: UTF8.self) == "{\"a\":1}")
    }

    @Test func whatIsNotHTTPIsRefused() {
        #expect(throws: LoopbackHTTP.Failure.self) { try LoopbackHTTP.parse(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)) }
        #expect(throws: LoopbackHTTP.Failure.self) { try LoopbackHTTP.parse(Array("HTTP/1.1 200 OK\r\n".utf8)) }
        #expect(throws: LoopbackHTTP.Failure.self) { try LoopbackHTTP.dechunk(Array("zz\r\nab\r\n".utf8)) }
        #expect(throws: LoopbackHTTP.Failure.self) { try LoopbackHTTP.dechunk(Array("10\r\nab".utf8)) }
    }

    @Test func jupyterTimestampsKeepTheirFraction() throws {
        let date = try #require(JupyterServer.date("2024-05-01T12:00:00.250000Z"))
        #expect(date.timeIntervalSince1970 == 1_714_564_800.25)
        #expect(JupyterServer.date("2024-05-01T12:00:00Z")?.timeIntervalSince1970 == 1_714_564_800)
        #expect(JupyterServer.date("yesterday") == nil)
    }

    @Test func theBasePathGetsItsSlashes() {
        #expect(JupyterServer(port: 1, token: "", basePath: "sessions/w/s").basePath == "/sessions/w/s/")
        #expect(JupyterServer(port: 1, token: "", basePath: "").basePath == "/")
        #expect(JupyterServer(port: 1, token: "", basePath: "/").basePath == "/")
    }
}
