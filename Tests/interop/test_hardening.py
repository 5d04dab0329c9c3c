"""Hostile HTTP/2 peers against our server, with the `h2` library and hand-made frames.

Each test starts a fresh server, opens a bystander connection, attacks on another
connection, and then requires what a user depends on: the server is still running, the
bystander connection is still served, a new grpcio connection gets an EmptyCall through,
the server's memory stayed bounded, and the abusive connection was closed or throttled
(with the GOAWAY error code nghttp2's limit implies, where it implies one).
"""

from __future__ import annotations

import socket
import threading
import time

import grpc
import pytest

import h2peer
from h2peer import (GrpcH2Client, RawH2, frame, hpack_integer, ping_frame, rst_stream_frame,
                    settings_frame)

SERVICE = "/grpc.testing.TestService"
RSS_GROWTH_LIMIT_MIB = 100  # peak RSS during an attack minus RSS before it
TIMEOUT = 20


@pytest.fixture
def server(fresh_servers):
    """A server of its own for each attack, so memory and crashes are attributed exactly."""
    server = fresh_servers.launch()
    yield server
    server.assert_alive("after the attack")


@pytest.fixture
def bystander(server):
    """A connection opened before the attack, which must keep being served."""
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        empty_call(client)
        yield client


def empty_call(client: GrpcH2Client, timeout: float = 10) -> float:
    """One EmptyCall on `client`'s connection; returns its latency in seconds."""
    started = time.monotonic()
    result = client.call(f"{SERVICE}/EmptyCall", [b""], timeout=timeout)
    assert result.grpc_status == 0, result.describe()
    assert client.goaway is None, f"the connection got a GOAWAY: {client.goaway}"
    return time.monotonic() - started


class Baseline:
    def __init__(self, server):
        self.server = server
        self.rss_kib = server.memory().rss_kib

    def growth_mib(self) -> float:
        return (self.server.memory().peak_kib - self.rss_kib) / 1024


def assert_others_unaffected(server, bystander: GrpcH2Client, baseline: Baseline, pb) -> None:
    server.assert_alive("after the attack")
    latency = empty_call(bystander)
    assert latency < 5, f"the bystander connection waited {latency:.1f}s for an EmptyCall"
    with grpc.insecure_channel(server.target, options=[("grpc.use_local_subchannel_pool", 1)]) as channel:
        pb.test_grpc.TestServiceStub(channel).EmptyCall(pb.empty.Empty(), timeout=10)
    growth = baseline.growth_mib()
    print(f"peak RSS growth {growth:.1f} MiB; bystander latency {latency * 1000:.1f} ms")
    assert growth < RSS_GROWTH_LIMIT_MIB, (
        f"peak RSS grew by {growth:.0f} MiB during the attack (limit {RSS_GROWTH_LIMIT_MIB} MiB)")


def flood(sock: socket.socket, unit: bytes, total: int, stall_seconds: float = 5.0) -> str:
    """Writes `unit` `total` times without reading anything.

    Returns `closed` (the server dropped the connection), `throttled` (the server stopped
    reading: a write blocked for `stall_seconds`) or `absorbed` (everything was taken).
    """
    batch = 4096
    chunk = unit * batch
    sock.settimeout(stall_seconds)
    for _ in range(0, total, batch):
        try:
            sock.sendall(chunk)
        except socket.timeout:
            return "throttled"
        except (BrokenPipeError, ConnectionResetError):
            return "closed"
    return "absorbed"


def goaway_codes(frames) -> list[int]:
    return [f.as_goaway().error_code for f in frames if f.type == h2peer.GOAWAY]


# --- rapid reset (CVE-2023-44487) ------------------------------------------------------

@pytest.mark.beyond_grpcio("grpc core answers a rapid reset burst differently")
def test_rapid_reset_burst(pb, server, bystander):
    baseline = Baseline(server)
    attacker = RawH2("127.0.0.1", server.port, timeout=TIMEOUT)
    with attacker:
        attacker.handshake()
        path = f"{SERVICE}/StreamingInputCall"
        closed = False
        for _ in range(50):  # 50 x 200 = 10,000 streams opened and reset at once
            batch = bytearray()
            for _ in range(200):
                stream_id = attacker.open_stream()
                batch += attacker.headers_frame(stream_id, attacker.header_block(path))
                batch += rst_stream_frame(stream_id, h2peer.CANCEL)
            try:
                attacker.send(bytes(batch))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        frames, closed_later = attacker.read_until_closed(timeout=5)
    codes = goaway_codes(frames)
    print(f"rapid reset: GOAWAY codes {codes}, closed {closed or closed_later}")
    assert codes, f"no GOAWAY after 10,000 rapid resets (connection closed: {closed or closed_later})"
    assert codes[-1] in (h2peer.INTERNAL_ERROR, h2peer.ENHANCE_YOUR_CALM), f"GOAWAY codes {codes}"
    assert_others_unaffected(server, bystander, baseline, pb)


# --- CONTINUATION flood (CVE-2024-27316 family) ----------------------------------------

@pytest.mark.parametrize("variant", [
    "empty-frames",
    pytest.param("one-long-header-value", marks=pytest.mark.beyond_grpcio(
        "grpc core reads on, dropping the oversized header")),
])
def test_continuation_flood(pb, server, bystander, variant):
    baseline = Baseline(server)
    with RawH2("127.0.0.1", server.port, timeout=TIMEOUT) as attacker:
        attacker.handshake()
        stream_id = attacker.open_stream()
        block = attacker.header_block(f"{SERVICE}/EmptyCall")
        if variant == "empty-frames":
            piece = frame(h2peer.CONTINUATION, 0, stream_id, b"")
        else:
            # A literal header whose 60,000-byte value arrives 64 bytes per CONTINUATION.
            block += b"\x00" + hpack_integer(5, 7) + b"x-big" + hpack_integer(60_000, 7)
            piece = frame(h2peer.CONTINUATION, 0, stream_id, b"a" * 64)
        # HEADERS without END_HEADERS, then CONTINUATIONs that never end the block.
        attacker.send(attacker.headers_frame(stream_id, block, end_headers=False))
        outcome = flood(attacker.sock, piece, 100_000)
        frames, closed = attacker.read_until_closed(timeout=5)
    print(f"CONTINUATION flood: writes {outcome}, closed {closed}, GOAWAY codes {goaway_codes(frames)}")
    assert outcome == "closed" or closed, (
        f"the connection survived 100,000 CONTINUATION frames (writes: {outcome})")
    codes = goaway_codes(frames)
    assert all(code != h2peer.NO_ERROR for code in codes), f"GOAWAY codes {codes}"
    assert_others_unaffected(server, bystander, baseline, pb)


# --- header list size ------------------------------------------------------------------

def _call_with_metadata(server, metadata) -> h2peer.StreamResult | str:
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        try:
            return client.call(f"{SERVICE}/EmptyCall", [b""], metadata=metadata)
        except h2peer.ConnectionClosed:
            return "connection closed"


@pytest.mark.beyond_grpcio("grpc core advertises 16 KiB but serves larger header lists")
@pytest.mark.parametrize("shape", ["one-20KiB-header", "400-small-headers"])
def test_header_list_over_the_cap_is_refused(pb, server, bystander, shape):
    baseline = Baseline(server)
    if shape == "one-20KiB-header":
        metadata = [("x-big", "b" * 20 * 1024)]
    else:
        metadata = [(f"x-header-{i:03d}", "v" * 40) for i in range(400)]  # ~33 KiB counted
    result = _call_with_metadata(server, metadata)
    print(f"{shape}: {result if isinstance(result, str) else result.describe()}")
    if isinstance(result, h2peer.StreamResult):
        refused = (result.reset_code is not None or (result.http_status or 200) != 200
                   or (result.grpc_status is not None and result.grpc_status != 0)
                   or not result.done)
        assert refused, f"a {shape} request was served: {result.describe()}"
    assert_others_unaffected(server, bystander, baseline, pb)


def test_header_list_under_the_cap_is_served(server):
    result = _call_with_metadata(server, [("x-medium", "m" * 6 * 1024)])
    assert isinstance(result, h2peer.StreamResult) and result.grpc_status == 0, result


# --- SETTINGS and PING floods ----------------------------------------------------------

@pytest.mark.parametrize("kind", ["SETTINGS", "PING"])
def test_control_frame_flood_without_reading(pb, server, bystander, kind):
    baseline = Baseline(server)
    unit = settings_frame() if kind == "SETTINGS" else ping_frame(b"floodfld")
    with RawH2("127.0.0.1", server.port, timeout=TIMEOUT, receive_buffer=4096) as attacker:
        attacker.handshake()
        outcome = flood(attacker.sock, unit, 4_000_000)  # 36-68 MB of frames
    print(f"{kind} flood: {outcome}")
    assert outcome in ("closed", "throttled"), (
        f"the server took 4,000,000 {kind} frames from a peer that reads none of the "
        f"replies, so it buffered them or dropped acknowledgements")
    assert_others_unaffected(server, bystander, baseline, pb)


@pytest.mark.beyond_grpcio("grpc core does not cap SETTINGS entries")
def test_settings_frame_with_too_many_entries_gets_enhance_your_calm(pb, server, bystander):
    baseline = Baseline(server)
    with RawH2("127.0.0.1", server.port, timeout=TIMEOUT) as attacker:
        attacker.handshake()
        attacker.send(settings_frame([(h2peer.SETTINGS_HEADER_TABLE_SIZE, 4096)] * 33))
        frames, closed = attacker.read_until_closed(timeout=5)
    assert goaway_codes(frames) == [h2peer.ENHANCE_YOUR_CALM], f"frames: {frames}"
    assert closed, "the connection stayed open after GOAWAY ENHANCE_YOUR_CALM"
    assert_others_unaffected(server, bystander, baseline, pb)


def test_settings_frame_with_32_entries_is_accepted(server):
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        client.wait_for_settings()
        client.sock.sendall(settings_frame([(h2peer.SETTINGS_HEADER_TABLE_SIZE, 4096)] * 32))
        empty_call(client)


# --- a peer that never reads -----------------------------------------------------------

def test_peer_that_never_reads(pb, server, bystander):
    baseline = Baseline(server)
    request = pb.messages.StreamingOutputCallRequest(response_parameters=[
        pb.messages.ResponseParameters(size=1024 * 1024)] * 500).SerializeToString()
    # Open flow-control windows as wide as HTTP/2 allows, so only the server's own
    # back-pressure (not the peer's window) can stop it from buffering 5 GiB.
    attacker = GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT,
                            initial_window=h2peer.MAX_WINDOW, receive_buffer=4096)
    try:
        for _ in range(10):
            attacker.start(f"{SERVICE}/StreamingOutputCall", [request])
        latencies, stop = [], threading.Event()

        def keep_calling():
            while not stop.wait(0.5):
                latencies.append(empty_call(bystander))

        caller = threading.Thread(target=keep_calling)
        caller.start()
        try:
            time.sleep(8)
        finally:
            stop.set()
            caller.join(30)
        assert len(latencies) >= 5, "the bystander's calls did not complete during the attack"
        assert max(latencies) < 2, f"bystander latencies during the attack: {latencies}"
        growth = baseline.growth_mib()
        assert growth < RSS_GROWTH_LIMIT_MIB, (
            f"peak RSS grew by {growth:.0f} MiB while a peer did not read 5 GiB of responses")
    finally:
        attacker.sock.close()
    assert_others_unaffected(server, bystander, baseline, pb)


# --- keepalive ping policy -------------------------------------------------------------

def test_too_many_pings_get_goaway_enhance_your_calm(pb, server, bystander):
    baseline = Baseline(server)
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        client.wait_for_settings()
        sent = 0
        try:
            for sent in range(1, 11):
                client.ping(f"ping{sent:04d}".encode())
                client.pump(lambda: len(client.ping_acks) >= sent or client.goaway is not None,
                            timeout=5)
                if client.goaway is not None:
                    break
            client.pump(lambda: False, timeout=5)  # the server should close the connection
        except h2peer.ConnectionClosed:
            pass
        except TimeoutError:
            pass
        assert client.goaway is not None, f"no GOAWAY after {sent} pings without data"
        assert client.goaway.error_code == h2peer.ENHANCE_YOUR_CALM, client.goaway
        assert sent <= 4, f"GOAWAY only after {sent} pings; the policy allows 2 strikes"
        assert client.closed, "the connection stayed open after GOAWAY ENHANCE_YOUR_CALM"
    assert_others_unaffected(server, bystander, baseline, pb)


def test_one_ping_is_answered_and_tolerated(server):
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        client.ping(b"justonce")
        client.pump(lambda: client.ping_acks, timeout=5)
        assert client.ping_acks == [b"justonce"]
        empty_call(client)
        assert client.goaway is None


def test_pings_between_calls_are_tolerated(server):
    """A ping after the server sent data is not a strike (grpc keepalive semantics)."""
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        for index in range(6):
            empty_call(client)
            client.ping(f"between{index}".encode())
            client.pump(lambda: len(client.ping_acks) > index or client.goaway is not None, timeout=5)
            assert client.goaway is None, f"GOAWAY after ping {index + 1}: {client.goaway}"


LARGE_RESPONSE = (4 << 20) - 64  # payload bytes: the whole message stays within 4 MiB


def test_bandwidth_probing_pings_during_large_responses_are_tolerated(pb, server):
    """grpc-go, C-core and grpc-java PING as response data arrives, to measure bandwidth;
    with another call open on the connection, 4 MiB responses must arrive without a GOAWAY."""
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        client.start(f"{SERVICE}/FullDuplexCall", end_stream=False)  # another call, kept open
        request = pb.messages.SimpleRequest(response_size=LARGE_RESPONSE).SerializeToString()
        pings = 0
        for round_ in range(3):
            stream_id = client.start(f"{SERVICE}/UnaryCall", [request])
            result = client.streams[stream_id]
            frames_seen = 0
            try:
                while not result.done and client.goaway is None:
                    client.receive_once(5)
                    # Like a BDP estimator: one probe outstanding at a time, sent as data arrives.
                    if result.data_frames > frames_seen and len(client.ping_acks) == pings:
                        frames_seen = result.data_frames
                        pings += 1
                        client.ping(f"bdp{pings:05d}".encode())
            except h2peer.ConnectionClosed as closed:
                pytest.fail(f"the server closed the connection during response {round_ + 1} after {pings} "
                            f"pings ({closed}); GOAWAY: {client.goaway}")
            assert client.goaway is None, f"GOAWAY during response {round_ + 1} after {pings} pings: {client.goaway}"
            assert result.grpc_status == 0, result.describe()
            [(_, body)] = result.messages
            response = pb.messages.SimpleResponse.FromString(body)
            assert len(response.payload.body) == LARGE_RESPONSE
        assert pings > 3 * 3, f"only {pings} pings were sent: the test did not probe as clients do"
        empty_call(client)


def test_ping_flood_with_a_quiet_call_open_gets_goaway(pb, server, bystander):
    """An open call does not license a ping flood: with nothing sent, pings are strikes."""
    baseline = Baseline(server)
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        client.start(f"{SERVICE}/FullDuplexCall", end_stream=False)
        sent = 0
        try:
            for sent in range(1, 11):
                client.ping(f"flood{sent:03d}".encode())
                client.pump(lambda: len(client.ping_acks) >= sent or client.goaway is not None, timeout=5)
                if client.goaway is not None:
                    break
        except (h2peer.ConnectionClosed, TimeoutError):
            pass
        assert client.goaway is not None, f"no GOAWAY after {sent} pings with a quiet call open"
        assert client.goaway.error_code == h2peer.ENHANCE_YOUR_CALM, client.goaway
        assert sent <= 4, f"GOAWAY only after {sent} pings; the policy allows 2 strikes"
    assert_others_unaffected(server, bystander, baseline, pb)
