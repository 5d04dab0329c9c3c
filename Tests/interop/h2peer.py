"""HTTP/2 peers for protocol and hardening tests.

`GrpcH2Client` speaks gRPC over a real HTTP/2 connection made with the `h2` library, with
full control over headers and message framing. `RawH2` writes frames byte by byte, for
what a well-behaved library refuses to send (CONTINUATION floods, oversized SETTINGS).
"""

from __future__ import annotations

import base64
import socket
import struct
import time
from dataclasses import dataclass, field

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings
import hpack

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# Frame types and flags (RFC 9113 section 6).
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM = 0x1
ACK = 0x1
END_HEADERS = 0x4

# Error codes (RFC 9113 section 7).
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR = 0x0, 0x1, 0x2, 0x3
REFUSED_STREAM, CANCEL, ENHANCE_YOUR_CALM = 0x7, 0x8, 0xB

# Settings identifiers.
SETTINGS_HEADER_TABLE_SIZE = 0x1
SETTINGS_ENABLE_PUSH = 0x2
SETTINGS_MAX_CONCURRENT_STREAMS = 0x3
SETTINGS_INITIAL_WINDOW_SIZE = 0x4
SETTINGS_MAX_FRAME_SIZE = 0x5
SETTINGS_MAX_HEADER_LIST_SIZE = 0x6

MAX_WINDOW = 2**31 - 1


def hpack_integer(value: int, prefix_bits: int, first_byte: int = 0) -> bytes:
    """An HPACK integer (RFC 7541 section 5.1) with an N-bit prefix."""
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    encoded = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        encoded.append((value & 0x7F) | 0x80)
        value >>= 7
    encoded.append(value)
    return bytes(encoded)


def grpc_message(payload: bytes, compressed: bool = False, length: int | None = None) -> bytes:
    """A gRPC length-prefixed message; `length` overrides the declared length."""
    declared = len(payload) if length is None else length
    return struct.pack(">BI", 1 if compressed else 0, declared) + payload


def split_grpc_messages(body: bytes) -> list[tuple[int, bytes]]:
    messages, offset = [], 0
    while offset + 5 <= len(body):
        flag, length = struct.unpack_from(">BI", body, offset)
        messages.append((flag, body[offset + 5: offset + 5 + length]))
        offset += 5 + length
    if offset != len(body):
        raise ValueError(f"{len(body) - offset} trailing bytes after the last gRPC message")
    return messages


def b64_unpadded(value: bytes) -> str:
    return base64.b64encode(value).decode().rstrip("=")


def b64_decode_lenient(value: bytes) -> bytes:
    text = value.decode().strip()
    return base64.b64decode(text + "=" * (-len(text) % 4))


def request_headers(authority: str, path: str, *, content_type: str = "application/grpc",
                    metadata=(), method: str = "POST") -> list[tuple[str, str]]:
    headers = [
        (":method", method), (":scheme", "http"), (":path", path), (":authority", authority),
        ("content-type", content_type), ("te", "trailers"),
    ]
    headers += [(name, value if isinstance(value, str) else value.decode()) for name, value in metadata]
    return headers


@dataclass
class StreamResult:
    stream_id: int
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    trailers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    ended: bool = False
    reset_code: int | None = None
    headers_ended_stream: bool = False  # a trailers-only response
    data_frames: int = 0
    started_at: float = field(default_factory=time.monotonic)
    finished_at: float | None = None

    @property
    def done(self) -> bool:
        return self.ended or self.reset_code is not None

    def header(self, name: str) -> str | None:
        return _lookup(self.headers, name)

    def trailer(self, name: str) -> str | None:
        return _lookup(self.trailers, name)

    @property
    def http_status(self) -> int | None:
        value = self.header(":status")
        return int(value) if value is not None else None

    @property
    def grpc_status(self) -> int | None:
        """grpc-status from the trailers (or from the headers of a trailers-only response)."""
        value = self.trailer("grpc-status")
        if value is None and self.headers_ended_stream:
            value = self.header("grpc-status")
        return int(value) if value is not None else None

    @property
    def grpc_message_raw(self) -> str | None:
        source = self.trailers if self.trailers else (self.headers if self.headers_ended_stream else [])
        return _lookup(source, "grpc-message")

    @property
    def messages(self) -> list[tuple[int, bytes]]:
        return split_grpc_messages(bytes(self.body))

    @property
    def elapsed(self) -> float:
        return (self.finished_at or time.monotonic()) - self.started_at

    def describe(self) -> str:
        return (f"stream {self.stream_id}: headers={self.headers} trailers={self.trailers} "
                f"body={len(self.body)}B ended={self.ended} reset={self.reset_code}")


def _lookup(pairs, name: str) -> str | None:
    wanted = name.encode()
    for key, value in pairs:
        if key == wanted:
            return value.decode("latin-1")
    return None


class ConnectionClosed(Exception):
    pass


class GrpcH2Client:
    """A gRPC client on one HTTP/2 connection, made with the `h2` library.

    Streams run concurrently: `start()` opens one, `wait()` pumps the connection until it
    is done. Received data is acknowledged at once, so flow control never stalls a reader.
    """

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, *, uds: str | None = None,
                 timeout: float = 10.0, initial_window: int = 1 << 20,
                 receive_buffer: int | None = None, auto_acknowledge: bool = True):
        family = socket.AF_UNIX if uds else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        if receive_buffer is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(timeout)
        self.sock.connect(uds if uds else (host, port))
        if not uds:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.authority = "localhost" if uds else f"{host}:{port}"
        self.timeout = timeout
        self.auto_acknowledge = auto_acknowledge
        config = h2.config.H2Configuration(client_side=True, header_encoding=None)
        self.conn = h2.connection.H2Connection(config=config)
        self.conn.local_settings = h2.settings.Settings(
            client=True, initial_values={
                SETTINGS_INITIAL_WINDOW_SIZE: initial_window,
                SETTINGS_MAX_HEADER_LIST_SIZE: 1 << 20,
                SETTINGS_ENABLE_PUSH: 0,
            })
        self.conn.initiate_connection()
        if initial_window > 65535:
            self.conn.increment_flow_control_window(initial_window - 65535)
        self.streams: dict[int, StreamResult] = {}
        self.goaway: GoAway | None = None
        self.goaways: list[GoAway] = []
        self._pending = bytearray()
        self.remote_settings: dict[int, int] = {}
        self.settings_received = False
        self.ping_acks: list[bytes] = []
        self.closed = False
        self.flush()

    # --- sending -------------------------------------------------------------------
    def flush(self) -> None:
        data = self.conn.data_to_send()
        if data:
            try:
                self.sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError) as error:
                self.closed = True
                raise ConnectionClosed(str(error)) from error

    def start(self, path: str, messages: list[bytes] | tuple = (), *, end_stream: bool = True,
              metadata=(), content_type: str = "application/grpc", raw_body: bytes | None = None,
              headers: list[tuple[str, str]] | None = None) -> int:
        """Opens a stream; sends `messages` (framed) or `raw_body`; half-closes if asked."""
        stream_id = self.conn.get_next_available_stream_id()
        self.streams[stream_id] = StreamResult(stream_id)
        headers = headers or request_headers(self.authority, path, content_type=content_type,
                                             metadata=metadata)
        body = raw_body if raw_body is not None else b"".join(grpc_message(m) for m in messages)
        self.conn.send_headers(stream_id, headers, end_stream=end_stream and not body)
        self.flush()
        if body:
            self.send_body(stream_id, body, end_stream=end_stream)
        return stream_id

    def send_body(self, stream_id: int, body: bytes, end_stream: bool = False) -> None:
        view = memoryview(body)
        while view:
            window = min(self.conn.local_flow_control_window(stream_id),
                         self.conn.max_outbound_frame_size)
            if window <= 0:
                self.pump(until=lambda: self.conn.local_flow_control_window(stream_id) > 0
                          or self.streams[stream_id].done)
                if self.streams[stream_id].done:
                    return
                continue
            chunk, view = view[:window], view[window:]
            self.conn.send_data(stream_id, bytes(chunk), end_stream=end_stream and not view)
            self.flush()
        if end_stream and not body:
            self.conn.end_stream(stream_id)
            self.flush()

    def end_stream(self, stream_id: int) -> None:
        self.conn.end_stream(stream_id)
        self.flush()

    def reset(self, stream_id: int, code: int = CANCEL) -> None:
        self.conn.reset_stream(stream_id, code)
        self.flush()

    def ping(self, data: bytes = b"12345678") -> None:
        self.conn.ping(data)
        self.flush()

    # --- receiving -----------------------------------------------------------------
    def receive_once(self, timeout: float | None = None) -> bool:
        """Reads once and handles the events; False on timeout. Raises ConnectionClosed."""
        self.sock.settimeout(timeout if timeout is not None else self.timeout)
        try:
            data = self.sock.recv(1 << 20)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError) as error:
            self.closed = True
            raise ConnectionClosed(str(error)) from error
        if not data:
            self.closed = True
            raise ConnectionClosed("the server closed the connection")
        for event in self.conn.receive_data(self._take_goaway(data)):
            self._handle(event)
        self.flush()
        return True

    def _take_goaway(self, data: bytes) -> bytes:
        """Removes GOAWAY frames from the input and records them.

        h2 closes its state machine on GOAWAY and then rejects the frames of streams the
        server is still finishing; a real client keeps reading them, so this one does too.
        """
        self._pending += data
        forward = bytearray()
        while len(self._pending) >= 9:
            length = int.from_bytes(self._pending[:3], "big")
            if len(self._pending) < 9 + length:
                break
            raw = bytes(self._pending[:9 + length])
            del self._pending[:9 + length]
            if raw[3] == GOAWAY:
                self.goaway = Frame(GOAWAY, raw[4], 0, raw[9:]).as_goaway()
                self.goaways.append(self.goaway)
            else:
                forward += raw
        return bytes(forward)

    def _handle(self, event) -> None:
        now = time.monotonic()
        stream_id = getattr(event, "stream_id", None)
        stream = self.streams.get(stream_id) if stream_id else None
        if stream_id and stream is None:
            return  # not a stream this client opened
        if isinstance(event, h2.events.ResponseReceived):
            stream.headers = list(event.headers)
            if event.stream_ended is not None:
                stream.headers_ended_stream = True
        elif isinstance(event, h2.events.TrailersReceived):
            stream.trailers = list(event.headers)
        elif isinstance(event, h2.events.DataReceived):
            stream.body += event.data
            stream.data_frames += 1
            if self.auto_acknowledge and event.flow_controlled_length:
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded):
            stream.ended = True
            stream.finished_at = now
        elif isinstance(event, h2.events.StreamReset):
            stream.reset_code = int(event.error_code)
            stream.finished_at = now
        elif isinstance(event, h2.events.RemoteSettingsChanged):
            self.settings_received = True
            for key, changed in event.changed_settings.items():
                self.remote_settings[int(key)] = changed.new_value
        elif isinstance(event, h2.events.PingAckReceived):
            self.ping_acks.append(event.ping_data)

    def pump(self, until, timeout: float | None = None) -> None:
        """Handles incoming frames until `until()` is true; raises TimeoutError."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while not until():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the server did not answer in time")
            self.receive_once(min(remaining, 1.0))

    def wait(self, stream_id: int, timeout: float | None = None) -> StreamResult:
        stream = self.streams[stream_id]
        self.pump(lambda: stream.done or self.goaway is not None and stream_id > self.goaway.last_stream_id,
                  timeout)
        return stream

    def call(self, path: str, messages=(), timeout: float | None = None, **options) -> StreamResult:
        return self.wait(self.start(path, messages, **options), timeout)

    def wait_for_settings(self, timeout: float | None = None) -> dict[int, int]:
        self.pump(lambda: self.settings_received, timeout)
        return self.remote_settings

    def close(self) -> None:
        try:
            if not self.closed:
                self.conn.close_connection()
                self.flush()
        except (OSError, ConnectionClosed, h2.exceptions.ProtocolError):
            pass
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- raw frames ------------------------------------------------------------------------

def frame(frame_type: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    return struct.pack(">I", len(payload))[1:] + struct.pack(">BBI", frame_type, flags, stream_id) + payload


def settings_frame(pairs=(), ack: bool = False) -> bytes:
    return frame(SETTINGS, ACK if ack else 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in pairs))


def ping_frame(data: bytes = b"\0" * 8, ack: bool = False) -> bytes:
    return frame(PING, ACK if ack else 0, 0, data)


def rst_stream_frame(stream_id: int, code: int = CANCEL) -> bytes:
    return frame(RST_STREAM, 0, stream_id, struct.pack(">I", code))


def window_update_frame(stream_id: int, increment: int) -> bytes:
    return frame(WINDOW_UPDATE, 0, stream_id, struct.pack(">I", increment))


@dataclass
class Frame:
    type: int
    flags: int
    stream_id: int
    payload: bytes

    def as_goaway(self) -> "GoAway":
        last_stream, code = struct.unpack_from(">II", self.payload)
        return GoAway(last_stream & 0x7FFFFFFF, code, self.payload[8:])


@dataclass
class GoAway:
    last_stream_id: int
    error_code: int
    debug_data: bytes


class RawH2:
    """A client that writes HTTP/2 frames by hand and reads frames back unparsed."""

    def __init__(self, host: str, port: int, timeout: float = 10.0, receive_buffer: int | None = None,
                 send_buffer: int | None = None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        if send_buffer is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.authority = f"{host}:{port}"
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        self._buffer = bytearray()
        self.next_stream_id = 1

    def handshake(self, settings=(), timeout: float = 10.0) -> dict[int, int]:
        """Sends the preface and SETTINGS, waits for the server's SETTINGS and ACKs them."""
        self.sock.sendall(PREFACE + settings_frame(settings))
        deadline = time.monotonic() + timeout
        while True:
            received = self.read_frame(max(0.0, deadline - time.monotonic()))
            if received is None:
                raise TimeoutError("no SETTINGS from the server")
            if received.type == SETTINGS and not received.flags & ACK:
                self.sock.sendall(settings_frame(ack=True))
                payload = received.payload
                return {int.from_bytes(payload[i:i + 2], "big"): int.from_bytes(payload[i + 2:i + 6], "big")
                        for i in range(0, len(payload), 6)}

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def header_block(self, path: str = "/grpc.testing.TestService/EmptyCall", extra=()) -> bytes:
        return self.encoder.encode(request_headers(self.authority, path) + list(extra))

    def open_stream(self) -> int:
        stream_id = self.next_stream_id
        self.next_stream_id += 2
        return stream_id

    def headers_frame(self, stream_id: int, block: bytes, end_stream: bool = False,
                      end_headers: bool = True) -> bytes:
        flags = (END_STREAM if end_stream else 0) | (END_HEADERS if end_headers else 0)
        return frame(HEADERS, flags, stream_id, block)

    def read_frame(self, timeout: float) -> Frame | None:
        """The next frame, None on timeout; raises ConnectionClosed at EOF or reset."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self._buffer) >= 9:
                length = int.from_bytes(self._buffer[:3], "big")
                if len(self._buffer) >= 9 + length:
                    frame_type, flags, stream_id = struct.unpack_from(">BBI", self._buffer, 3)
                    payload = bytes(self._buffer[9:9 + length])
                    del self._buffer[:9 + length]
                    return Frame(frame_type, flags, stream_id & 0x7FFFFFFF, payload)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(1 << 16)
            except socket.timeout:
                return None
            except (ConnectionResetError, BrokenPipeError) as error:
                raise ConnectionClosed(str(error)) from error
            if not data:
                raise ConnectionClosed("EOF")
            self._buffer += data

    def read_until_closed(self, timeout: float) -> tuple[list[Frame], bool]:
        """Frames read until EOF or `timeout`; and whether the connection was closed."""
        frames, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                received = self.read_frame(deadline - time.monotonic())
            except ConnectionClosed:
                return frames, True
            if received is None:
                break
            frames.append(received)
        return frames, False

    def close(self) -> None:
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
