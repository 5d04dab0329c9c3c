"""The emulator's pod exec endpoint: RFC 6455 WebSocket (server side) with the Kubernetes
channel protocol.

After the upgrade (Sec-WebSocket-Accept, subprotocol `v5.channel.k8s.io` or
`v4.channel.k8s.io`, the first one the client offers that is supported), every binary
message starts with a channel byte: 0 stdin (client to server), 1 stdout, 2 stderr,
3 error (the final Status JSON), 4 resize (ignored), and in v5 255 close (`[255, 0]`
closes the command's stdin). Masked client frames, fragmentation, ping/pong and the
closing handshake are handled; one thread does all socket I/O, so it works the same over
a TLS socket.
"""
import base64
import hashlib
import http.server
import json
import os
import select
import struct
import subprocess
import time

SUBPROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
MAX_MESSAGE = 16 * 1024 * 1024
_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_CONTINUATION, _TEXT, _BINARY, _CLOSE, _PING, _PONG = 0, 1, 2, 8, 9, 10
_STDIN, _STDOUT, _STDERR, _ERROR, _CLOSE_CHANNEL = 0, 1, 2, 3, 255  # 4 (resize) is ignored
_DRAIN_AFTER_EXIT = 2.0  # how long output is still read after the command exited
_CLOSE_WAIT = 2.0  # how long the client's close frame is awaited


def negotiate_subprotocol(offered_header: str | None) -> str | None:
    """The first subprotocol of the client's `Sec-WebSocket-Protocol` header (a comma
    separated list) that the emulator supports, or None."""
    for offered in (offered_header or "").split(","):
        if offered.strip() in SUBPROTOCOLS:
            return offered.strip()
    return None


def accept_value(key: str) -> str:
    """The Sec-WebSocket-Accept value for a Sec-WebSocket-Key (RFC 6455 section 4.2.2)."""
    return base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """One final, unmasked frame as a server sends it."""
    length = len(payload)
    if length < 126:
        header = struct.pack(">BB", 0x80 | opcode, length)
    elif length < 1 << 16:
        header = struct.pack(">BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack(">BBQ", 0x80 | opcode, 127, length)
    return header + payload


def exit_status(code: int, command: list[str]) -> dict:
    """The Status the kubelet sends on the error channel when an exec'd command exits
    (the message as containerd's CRI words it)."""
    if code == 0:
        return {"metadata": {}, "status": "Success"}
    return {"metadata": {}, "status": "Failure",
            "message": f"command terminated with non-zero exit code: error executing command "
                       f"[{' '.join(command)}], exit code {code}",
            "reason": "NonZeroExitCode", "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]}}


class ProtocolError(Exception):
    """A client broke RFC 6455; `code` is the close code to answer with."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _unmask(payload, mask):
    if not payload:
        return b""
    key = (mask * (len(payload) // 4 + 1))[:len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(len(payload), "big")


class FrameReader:
    """Turns the client's bytes into complete messages and control frames.

    feed() returns [(opcode, payload)]: opcode TEXT or BINARY with the reassembled
    message, or CLOSE/PING/PONG. Raises ProtocolError on anything RFC 6455 forbids.
    """

    def __init__(self, max_message=MAX_MESSAGE):
        self.max_message = max_message
        self.buffer = bytearray()
        self.message = None
        self.message_opcode = None

    def feed(self, data):
        """Adds bytes; returns every message and control frame now complete."""
        self.buffer += data
        complete = []
        while (frame := self._next_frame()) is not None:
            final, opcode, payload = frame
            if opcode >= _CLOSE:
                if opcode not in (_CLOSE, _PING, _PONG):
                    raise ProtocolError(1002, f"unknown control opcode {opcode}")
                if not final or len(payload) > 125:
                    raise ProtocolError(1002, "control frames must be final and at most 125 bytes")
                complete.append((opcode, payload))
                continue
            if opcode == _CONTINUATION:
                if self.message is None:
                    raise ProtocolError(1002, "continuation frame without a message to continue")
                self.message += payload
            elif opcode in (_TEXT, _BINARY):
                if self.message is not None:
                    raise ProtocolError(1002, "new message before the fragmented one ended")
                self.message, self.message_opcode = bytearray(payload), opcode
            else:
                raise ProtocolError(1002, f"unknown data opcode {opcode}")
            if len(self.message) > self.max_message:
                raise ProtocolError(1009, f"message larger than {self.max_message} bytes")
            if final:
                message, self.message = bytes(self.message), None
                if self.message_opcode == _TEXT:
                    try:
                        message.decode("utf-8")
                    except UnicodeDecodeError as error:
                        raise ProtocolError(1007, "text message is not UTF-8") from error
                complete.append((self.message_opcode, message))
        return complete

    def _next_frame(self):
        data = self.buffer
        if len(data) < 2:
            return None
        if data[0] & 0x70:
            raise ProtocolError(1002, "reserved bits set, but no extension was negotiated")
        if not data[1] & 0x80:
            raise ProtocolError(1002, "client frames must be masked")
        length, offset = data[1] & 0x7F, 2
        if length == 126:
            if len(data) < 4:
                return None
            length, offset = struct.unpack_from(">H", data, 2)[0], 4
        elif length == 127:
            if len(data) < 10:
                return None
            length, offset = struct.unpack_from(">Q", data, 2)[0], 10
        if length > self.max_message:
            raise ProtocolError(1009, f"frame larger than {self.max_message} bytes")
        end = offset + 4 + length
        if len(data) < end:
            return None
        payload = _unmask(bytes(data[offset + 4:end]), bytes(data[offset:offset + 4]))
        final, opcode = bool(data[0] & 0x80), data[0] & 0x0F
        del data[:end]
        return final, opcode, payload


def _reject(handler, code, message, extra_headers=()):
    body = json.dumps({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                       "message": message, "reason": "BadRequest", "code": code}).encode()
    handler.send_response(code)
    for name, value in extra_headers:
        handler.send_header(name, value)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    handler.close_connection = True


def _handshake_problem(headers):
    """Why the request is not a valid WebSocket upgrade, or None."""
    if "websocket" not in (headers.get("Upgrade") or "").lower():
        return "the request must upgrade to websocket (Upgrade: websocket)"
    if "upgrade" not in [token.strip().lower() for token in (headers.get("Connection") or "").split(",")]:
        return "the request must carry Connection: Upgrade"
    try:
        if len(base64.b64decode(headers.get("Sec-WebSocket-Key") or "", validate=True)) != 16:
            raise ValueError("not 16 bytes")
    except ValueError:
        return "Sec-WebSocket-Key must be 16 bytes in base64"
    return None


def _stop(process):
    if process.poll() is None:
        process.kill()
    process.wait()


def serve_exec(handler: http.server.BaseHTTPRequestHandler, process: subprocess.Popen, *,
               stdout: bool, stderr: bool, stdin: bool, coalesced: bool = False) -> None:
    """Upgrades the handler's connection to a WebSocket and connects `process` to it with
    the Kubernetes channel protocol, until the command exits (then the exit Status on
    channel 3 and a close frame) or the client goes away (then the command is killed).

    An invalid upgrade or no supported subprotocol answers 400 with a Status and kills
    the command. `process` must have stdout and stderr pipes (and a stdin pipe if
    `stdin`); output of a stream the client did not ask for is discarded.

    `coalesced` (a fault for tests, without stdin) holds the 101 until the command ended
    and then sends it with every frame in one write, as a slow client can receive them.
    """
    headers = handler.headers
    problem = _handshake_problem(headers)
    offered = ",".join(headers.get_all("Sec-WebSocket-Protocol") or [])
    protocol = negotiate_subprotocol(offered)
    if problem is None and headers.get("Sec-WebSocket-Version", "").strip() != "13":
        _stop(process)
        _reject(handler, 426, "only WebSocket version 13 is supported", [("Sec-WebSocket-Version", "13")])
        return
    if problem is None and protocol is None:
        problem = (f"no supported WebSocket subprotocol: the client offered {offered or 'none'}, "
                   f"the server supports {', '.join(SUBPROTOCOLS)}")
    if problem is not None:
        _stop(process)
        _reject(handler, 400, problem)
        return
    response = [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                ("Sec-WebSocket-Accept", accept_value(headers["Sec-WebSocket-Key"].strip())),
                ("Sec-WebSocket-Protocol", protocol)]
    handler.close_connection = True
    session = _ExecSession(handler, process, protocol, stdout=stdout, stderr=stderr, stdin=stdin)
    if coalesced:
        session.run_coalesced(response)
        return
    handler.send_response(101, "Switching Protocols")
    for name, value in response:
        handler.send_header(name, value)
    handler.end_headers()
    session.run()


class _ExecSession:
    """One upgraded exec connection: a single thread moves bytes between the socket and
    the command's pipes."""

    def __init__(self, handler, process, protocol, *, stdout, stderr, stdin):
        self.handler = handler
        self.socket = handler.connection
        self.process = process
        self.protocol = protocol
        self.reader = FrameReader()
        self.outputs = {process.stdout.fileno(): (_STDOUT, stdout), process.stderr.fileno(): (_STDERR, stderr)}
        self.stdin = process.stdin if stdin else None
        self.stdin_buffer = bytearray()
        self.stdin_closing = False
        self.close_sent = False
        self.client_gone = False

    def _send(self, opcode, payload):
        self.socket.settimeout(30)
        self.socket.sendall(encode_frame(opcode, payload))

    def _send_channel(self, channel, data):
        self._send(_BINARY, bytes([channel]) + data)

    def _close(self, code, reason=""):
        if not self.close_sent:
            self.close_sent = True
            try:
                self._send(_CLOSE, struct.pack(">H", code) + reason.encode()[:120])
            except OSError:
                pass

    def _buffered(self):
        """Bytes the HTTP handler's reader took from the socket beyond the headers."""
        self.socket.settimeout(0)
        try:
            return self.handler.rfile.read1(65536) or b""
        except OSError:
            return b""

    def _receive(self):
        """Reads from the socket once; False when the client is gone."""
        self.socket.settimeout(0.5)
        try:
            data = self.socket.recv(65536)
        except TimeoutError:
            return True
        except OSError:
            return False
        if not data:
            return False
        self._handle(self.reader.feed(data))
        return not self.client_gone

    def _handle(self, frames):
        for opcode, payload in frames:
            if opcode == _CLOSE:
                if len(payload) == 1:
                    raise ProtocolError(1002, "close frame with a one-byte payload")
                self.client_gone = True
                self._close(struct.unpack(">H", payload[:2])[0] if payload else 1000)
                return
            if opcode == _PING and not self.close_sent:
                self._send(_PONG, payload)
            elif opcode in (_TEXT, _BINARY) and payload:
                self._channel_message(payload[0], payload[1:])

    def _channel_message(self, channel, data):
        if channel == _STDIN and self.stdin is not None and not self.stdin_closing:
            self.stdin_buffer += data
        elif channel == _CLOSE_CHANNEL and self.protocol.startswith("v5.") and data[:1] == bytes([_STDIN]):
            self.stdin_closing = True

    def _feed_stdin(self):
        if self.stdin is None:
            return
        if self.stdin_buffer:
            try:
                written = os.write(self.stdin.fileno(), self.stdin_buffer)
                del self.stdin_buffer[:written]
            except BlockingIOError:
                pass
            except OSError:  # the command closed its stdin
                self.stdin_buffer.clear()
                self.stdin_closing = True
        if self.stdin_closing and not self.stdin_buffer:
            self._close_stdin()

    def _close_stdin(self):
        if self.stdin is not None:
            try:
                self.stdin.close()
            except OSError:
                pass
            self.stdin = None

    def _pump_output(self, descriptor):
        data = os.read(descriptor, 65536)
        if not data:
            del self.outputs[descriptor]
            return
        channel, wanted = self.outputs[descriptor]
        if wanted:
            self._send_channel(channel, data)

    def run(self):
        """Serves the session to its end; the command is gone afterwards."""
        if self.stdin is not None:
            os.set_blocking(self.stdin.fileno(), False)
        try:
            self._handle(self.reader.feed(self._buffered()))
            # As the API server does: an empty message on the lowest writable channel.
            first = [channel for channel, wanted in self.outputs.values() if wanted]
            self._send_channel(min(first) if first else _ERROR, b"")
            if self._stream():
                self.process.wait()
                self._send_channel(_ERROR, self._exit_status())
                self._close(1000)
                self._await_close()
        except ProtocolError as error:
            self._close(error.code, str(error))
        except OSError:
            pass
        finally:
            self._close_stdin()
            _stop(self.process)

    def _exit_status(self):
        """The channel-3 Status of the command, which has exited (a signal counts as
        128 + its number, as a shell reports it)."""
        code = self.process.returncode
        command = getattr(self.process, "command", self.process.args)
        command = [command] if isinstance(command, str) else [str(part) for part in command]
        return json.dumps(exit_status(128 - code if code < 0 else code, command)).encode()

    def run_coalesced(self, response_headers):
        """Waits for the command, then sends the 101 `response_headers`, the output, the
        exit Status and a close frame in one write."""
        wanted = dict(self.outputs.values())
        try:
            output, errors = self.process.communicate(timeout=60)
            head = "HTTP/1.1 101 Switching Protocols\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in response_headers) + "\r\n"
            payload = head.encode() + b"".join(
                encode_frame(_BINARY, bytes([channel]) + data)
                for channel, data in ((_STDOUT, output), (_STDERR, errors)) if wanted[channel] and data)
            payload += encode_frame(_BINARY, bytes([_ERROR]) + self._exit_status())
            self.close_sent = True
            self.socket.settimeout(30)
            self.socket.sendall(payload + encode_frame(_CLOSE, struct.pack(">H", 1000)))
            self._await_close()
        except (OSError, subprocess.TimeoutExpired, ProtocolError):
            pass
        finally:
            _stop(self.process)

    def _stream(self):
        """Moves data until the command exited and its output ended; False if the client
        went away first."""
        exited_at = None
        while True:
            pending = getattr(self.socket, "pending", lambda: 0)()
            writers = [self.stdin.fileno()] if self.stdin is not None and self.stdin_buffer else []
            readable, writable, _ = select.select([self.socket] + list(self.outputs), writers, [],
                                                  0 if pending else 0.2)
            if (pending or self.socket in readable) and not self._receive():
                return False
            for descriptor in readable:
                if descriptor in self.outputs:
                    self._pump_output(descriptor)
            if writable or self.stdin_closing:
                self._feed_stdin()
            if self.process.poll() is not None:
                exited_at = exited_at or time.monotonic()
                # A background child may hold the pipes open: stop waiting for it soon.
                if not self.outputs or time.monotonic() - exited_at > _DRAIN_AFTER_EXIT:
                    return True

    def _await_close(self):
        deadline = time.monotonic() + _CLOSE_WAIT
        while not self.client_gone and time.monotonic() < deadline:
            pending = getattr(self.socket, "pending", lambda: 0)()
            if not pending and not select.select([self.socket], [], [], deadline - time.monotonic())[0]:
                return
            if not self._receive():
                return
