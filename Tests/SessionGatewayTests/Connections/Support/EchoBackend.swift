import SessionSDK

/// A session "IDE" for the connection proxy's tests: an HTTP/1.1 server on
/// `$SESSION_PORT` that requires the session's token in the query (as the proxy adds
/// it), echoes the request (path and headers) with the token in the body, redirects
/// `/redirect` to a URL carrying the token and `/offsite` to another site, sets cookies
/// at `/set-cookie` (one for a parent domain, one named like the proxy's), answers
/// `/slow` after 4 seconds, echoes POST bodies, and answers a
/// WebSocket upgrade with 101 and then echoes raw bytes.
enum EchoBackend {
    /// The preset `echo` running it.
    static let preset = Preset(
        id: "echo", displayName: "Echo", ideKind: .jupyterLab,
        images: [Preset.Image(name: "python3", reference: "python3", tag: .recommended)],
        podSizes: [Preset.PodSize(name: "small", resources: Resources(cpuMillis: 500, memoryBytes: 1 << 30))],
        defaultPodSize: "small", command: ["python3", "-c", script])

    /// The server.
    static let script = #"""
import http.server, json, os, time
TOKEN = os.environ["SESSION_TOKEN"]
class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, code, body, extra=()):
        self.send_response(code)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if "token=" + TOKEN not in self.path:
            return self.reply(401, b"the backend token is missing")
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            while True:
                data = self.connection.recv(65536)
                if not data:
                    break
                self.connection.sendall(data)
            self.close_connection = True
            return
        if self.path.startswith("/redirect"):
            return self.reply(302, b"", [("Location", "/target/?token=" + TOKEN)])
        if self.path.startswith("/offsite"):
            return self.reply(302, b"", [("Location", "http://attacker.example/steal")])
        if self.path.startswith("/set-cookie"):
            return self.reply(200, b"set", [("Set-Cookie", "ide=1; Domain=sessions.localhost; Path=/lab; HttpOnly"),
                                            ("Set-Cookie", "sessiongw_link=forged; Path=/")])
        if self.path.startswith("/slow"):
            time.sleep(4)
        body = json.dumps({"path": self.path, "headers": dict(self.headers), "token": TOKEN}).encode()
        self.reply(200, body, [("Content-Type", "application/json")])
    def do_POST(self):
        if "token=" + TOKEN not in self.path:
            return self.reply(401, b"the backend token is missing")
        self.reply(200, self.rfile.read(int(self.headers.get("Content-Length", 0))))
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), Echo).serve_forever()
"""#
}
