/// The "IDE" of the embedded default preset: a small Python web server over the
/// session's `/workspace` that lists and serves files (GET) and writes them (PUT), for
/// requests carrying the session's access token (`?token=` or `X-Session-Token`).
/// Writes go through the session's own mounts, so a read-only data-link refuses them
/// with 403 and the system's error ("Read-only file system").
enum SampleIDE {
    /// The server, run with `python3 -c`.
    static let script = #"""
import http.server, os, sys, urllib.parse
TOKEN = os.environ.get("SESSION_TOKEN", "")
ROOT = "/workspace"
class IDE(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=ROOT, **k)
    def allowed(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        given = query.get("token", [""])[0] or self.headers.get("X-Session-Token", "")
        if given != TOKEN:
            self.send_error(401, "a valid session token is required")
            return False
        return True
    def target(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        full = os.path.normpath(os.path.join(ROOT, path.lstrip("/")))
        return full if full == ROOT or full.startswith(ROOT + "/") else None
    def do_GET(self):
        if self.allowed():
            super().do_GET()
    def do_HEAD(self):
        if self.allowed():
            super().do_HEAD()
    def do_PUT(self):
        if not self.allowed():
            return
        full = self.target()
        if full is None:
            return self.send_error(403, "outside the workspace")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as handle:
                handle.write(body)
        except OSError as error:
            return self.send_error(403, error.strerror)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()
http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["SESSION_PORT"])), IDE).serve_forever()
"""#
}
