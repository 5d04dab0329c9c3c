"""The gRPC-over-HTTP/2 protocol details of our server, checked with a raw HTTP/2 peer
(the `h2` library) where grpcio would hide them, and with grpcio otherwise."""

import gzip
import time
import urllib.parse
from concurrent import futures

import grpc
import hpack
import pytest

import h2peer
from h2peer import GrpcH2Client, RawH2, b64_decode_lenient, b64_unpadded, grpc_message

SERVICE = "/grpc.testing.TestService"
OK, CANCELLED, UNKNOWN, DEADLINE_EXCEEDED = 0, 1, 2, 4
RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL = 8, 12, 13
MAX_MESSAGE = 4 * 1024 * 1024
TIMEOUT = 20


@pytest.fixture
def h2(server):
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        yield client


def sleeping_request(pb, seconds: float, size: int = 1):
    """A StreamingOutputCall that answers once after `seconds`."""
    return pb.messages.StreamingOutputCallRequest(response_parameters=[
        pb.messages.ResponseParameters(size=size, interval_us=int(seconds * 1e6))]).SerializeToString()


def assert_empty_call_works(h2):
    """The connection still serves calls after whatever the test did to it."""
    result = h2.call(f"{SERVICE}/EmptyCall", [b""])
    assert result.grpc_status == OK, result.describe()
    assert result.messages == [(0, b"")]


# --- headers and status --------------------------------------------------------------

def test_unary_call_has_the_required_response_headers_and_trailers(pb, h2):
    request = pb.messages.SimpleRequest(response_size=10).SerializeToString()
    result = h2.call(f"{SERVICE}/UnaryCall", [request])
    assert result.http_status == 200, result.describe()
    assert (result.header("content-type") or "").startswith("application/grpc"), result.describe()
    assert result.trailer("grpc-status") == "0", result.describe()
    [(flag, body)] = result.messages
    assert flag == 0
    response = pb.messages.SimpleResponse.FromString(body)
    assert response.payload.body == bytes(10)


def test_immediate_error_is_a_trailers_only_response(h2):
    result = h2.call(f"{SERVICE}/UnimplementedCall", [b""])
    assert result.headers_ended_stream, f"not trailers-only: {result.describe()}"
    assert result.http_status == 200
    assert result.header("grpc-status") == str(UNIMPLEMENTED), result.describe()
    assert result.body == b"" and result.trailers == []


@pytest.mark.parametrize("path", ["/no.such.Service/Method", f"{SERVICE}/NoSuchMethod", "/nonsense"])
def test_unknown_paths_are_unimplemented(h2, path):
    result = h2.call(path, [b""])
    assert result.grpc_status == UNIMPLEMENTED, result.describe()
    assert_empty_call_works(h2)


def test_grpc_proto_content_type_is_accepted(h2):
    result = h2.call(f"{SERVICE}/EmptyCall", [b""], content_type="application/grpc+proto")
    assert result.grpc_status == OK, result.describe()


@pytest.mark.beyond_grpcio("grpc core answers any content-type")
def test_non_grpc_content_type_gets_http_415(h2):
    result = h2.call(f"{SERVICE}/EmptyCall", [b""], content_type="text/plain")
    assert result.http_status == 415, result.describe()
    assert_empty_call_works(h2)


def test_grpc_message_is_percent_encoded(pb, h2):
    message = "50% done\r\n\t\u263a \U0001f608 ~ end"
    request = pb.messages.SimpleRequest(
        response_status=pb.messages.EchoStatus(code=UNKNOWN, message=message)).SerializeToString()
    result = h2.call(f"{SERVICE}/UnaryCall", [request])
    assert result.grpc_status == UNKNOWN, result.describe()
    raw = result.grpc_message_raw
    assert raw is not None, result.describe()
    assert all(0x20 <= ord(c) <= 0x7E for c in raw), f"grpc-message not percent-encoded: {raw!r}"
    assert "%25" in raw, f"'%' itself is not encoded: {raw!r}"
    assert urllib.parse.unquote(raw, encoding="utf-8", errors="strict") == message, raw


@pytest.mark.parametrize("scenario", ["deadline", "error-status", "unimplemented"])
def test_early_response_to_an_unfinished_request_resets_with_no_error(pb, server, scenario):
    """RFC 9113 8.1: a server that answers before the request ends may reset the stream,
    with NO_ERROR. A CANCEL there races the trailers in grpc core clients, which then
    report CANCELLED instead of the status the server sent."""
    path, extra, message, expected = {
        "deadline": ("FullDuplexCall", [("grpc-timeout", "20m")],
                     pb.messages.StreamingOutputCallRequest(), DEADLINE_EXCEEDED),
        "error-status": ("FullDuplexCall", [], pb.messages.StreamingOutputCallRequest(
            response_status=pb.messages.EchoStatus(code=UNKNOWN, message="no")), UNKNOWN),
        "unimplemented": ("UnimplementedCall", [], pb.empty.Empty(), UNIMPLEMENTED),
    }[scenario]
    decoder = hpack.Decoder()
    with RawH2("127.0.0.1", server.port, timeout=TIMEOUT) as peer:
        peer.handshake()
        stream_id = peer.open_stream()
        peer.send(peer.headers_frame(stream_id, peer.header_block(f"{SERVICE}/{path}", extra))
                  + h2peer.frame(h2peer.DATA, 0, stream_id, grpc_message(message.SerializeToString())))
        status, reset_codes, deadline = None, [], time.monotonic() + 10
        while time.monotonic() < deadline:
            received = peer.read_frame(0.5 if status is not None else deadline - time.monotonic())
            if received is None:
                break
            if received.stream_id != stream_id:
                continue
            if received.type == h2peer.HEADERS:
                fields = dict(decoder.decode(received.payload))
                if received.flags & h2peer.END_STREAM:
                    status = int(fields.get("grpc-status", -1))
            elif received.type == h2peer.RST_STREAM:
                reset_codes.append(int.from_bytes(received.payload, "big"))
                break
    assert status == expected, f"grpc-status {status}, expected {expected} (resets {reset_codes})"
    assert all(code == h2peer.NO_ERROR for code in reset_codes), (
        f"after the trailers the server reset the stream with code {reset_codes}, expected NO_ERROR")


# --- metadata ------------------------------------------------------------------------

@pytest.mark.parametrize("value", [b"\xab", b"\xab\xcd", b"\x00\xff\x10", b"\xfe\x00\x01\x02"],
                         ids=["1-byte", "2-bytes", "3-bytes", "4-bytes"])
@pytest.mark.parametrize("padding", ["padded", "unpadded"])
def test_binary_metadata_accepts_padded_and_unpadded_base64(pb, h2, value, padding):
    import base64

    encoded = base64.b64encode(value).decode() if padding == "padded" else b64_unpadded(value)
    request = pb.messages.SimpleRequest(response_size=1).SerializeToString()
    metadata = [("x-grpc-test-echo-trailing-bin", encoded),
                ("x-grpc-test-echo-initial", "plain-value")]
    result = h2.call(f"{SERVICE}/UnaryCall", [request], metadata=metadata)
    assert result.grpc_status == OK, result.describe()
    assert result.header("x-grpc-test-echo-initial") == "plain-value", result.describe()
    echoed = result.trailer("x-grpc-test-echo-trailing-bin")
    assert echoed is not None, result.describe()
    assert b64_decode_lenient(echoed.encode()) == value


def test_binary_metadata_round_trips_through_grpcio(pb, channel):
    value = bytes(range(256))
    stub = pb.test_grpc.TestServiceStub(channel)
    _, call = stub.UnaryCall.with_call(
        pb.messages.SimpleRequest(response_size=1),
        metadata=[("x-grpc-test-echo-trailing-bin", value)], timeout=TIMEOUT)
    assert ("x-grpc-test-echo-trailing-bin", value) in [tuple(m) for m in call.trailing_metadata()]


# --- deadlines -----------------------------------------------------------------------

@pytest.mark.parametrize("timeout, sleep, lower, upper", [
    ("1S", 4.0, 0.8, 3.0),
    ("300m", 3.0, 0.25, 2.5),
    ("300000u", 3.0, 0.25, 2.5),
    ("99999999n", 3.0, 0.08, 2.5),  # at most 8 digits: 0.1 s
])
def test_grpc_timeout_gives_deadline_exceeded(pb, h2, timeout, sleep, lower, upper):
    result = h2.call(f"{SERVICE}/StreamingOutputCall", [sleeping_request(pb, sleep)],
                     metadata=[("grpc-timeout", timeout)])
    assert result.grpc_status == DEADLINE_EXCEEDED, result.describe()
    assert lower <= result.elapsed <= upper, (
        f"grpc-timeout {timeout}: DEADLINE_EXCEEDED after {result.elapsed:.2f}s, "
        f"expected between {lower}s and {upper}s")
    assert_empty_call_works(h2)


@pytest.mark.parametrize("timeout", ["1H", "1M", "10S", "9000m"])
def test_grpc_timeout_longer_than_the_call_lets_it_finish(pb, h2, timeout):
    result = h2.call(f"{SERVICE}/StreamingOutputCall", [sleeping_request(pb, 1.5)],
                     metadata=[("grpc-timeout", timeout)])
    assert result.grpc_status == OK, f"grpc-timeout {timeout}: {result.describe()}"
    assert len(result.messages) == 1
    assert result.elapsed >= 1.4, "the server did not sleep as asked, so the deadline tests prove nothing"


def test_grpcio_deadline_on_a_sleeping_call(pb, channel):
    stub = pb.test_grpc.TestServiceStub(channel)
    request = pb.messages.StreamingOutputCallRequest.FromString(sleeping_request(pb, 5))
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as caught:
        list(stub.StreamingOutputCall(request, timeout=0.5))
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 3


# --- message size, decoding, compression ---------------------------------------------

def _big_channel(server):
    return grpc.insecure_channel(server.target, options=[
        ("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)])


def _simple_request_of_size(pb, size: int) -> bytes:
    """A serialized SimpleRequest of exactly `size` bytes."""
    body = size
    while True:
        request = pb.messages.SimpleRequest(
            response_size=1, payload=pb.messages.Payload(body=bytes(body))).SerializeToString()
        if len(request) == size:
            return request
        body -= len(request) - size


def test_message_over_the_limit_is_resource_exhausted(pb, server):
    with _big_channel(server) as channel:
        unary = channel.unary_unary(f"{SERVICE}/UnaryCall")
        with pytest.raises(grpc.RpcError) as caught:
            unary(_simple_request_of_size(pb, MAX_MESSAGE + 1), timeout=TIMEOUT)
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, caught.value.details()
        # At the limit, the same call goes through.
        response = pb.messages.SimpleResponse.FromString(
            unary(_simple_request_of_size(pb, MAX_MESSAGE), timeout=TIMEOUT))
        assert len(response.payload.body) == 1


def test_declared_length_over_the_limit_is_refused_before_the_body_arrives(h2):
    stream_id = h2.start(f"{SERVICE}/UnaryCall", end_stream=False,
                         raw_body=grpc_message(b"", length=0xFFFFFFFF))
    result = h2.wait(stream_id, timeout=5)
    assert result.grpc_status == RESOURCE_EXHAUSTED or result.reset_code is not None, result.describe()
    assert result.grpc_status != OK
    assert_empty_call_works(h2)


def test_message_that_does_not_decode_is_internal(server, channel):
    unary = channel.unary_unary(f"{SERVICE}/UnaryCall")
    # Field 3 (payload) claims 16 bytes and has 3.
    with pytest.raises(grpc.RpcError) as caught:
        unary(b"\x1a\x10abc", timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INTERNAL, caught.value.details()


def test_compressed_flag_without_grpc_encoding_is_internal(h2):
    result = h2.call(f"{SERVICE}/EmptyCall", raw_body=grpc_message(b"", compressed=True))
    assert result.grpc_status == INTERNAL, result.describe()
    assert_empty_call_works(h2)


def test_compressed_flag_with_identity_encoding_is_refused(h2):
    result = h2.call(f"{SERVICE}/EmptyCall", raw_body=grpc_message(b"", compressed=True),
                     metadata=[("grpc-encoding", "identity")])
    assert result.grpc_status in (INTERNAL, UNIMPLEMENTED), result.describe()
    assert_empty_call_works(h2)


@pytest.mark.beyond_grpcio("grpc core answers INTERNAL")
def test_unknown_grpc_encoding_is_unimplemented(h2):
    result = h2.call(f"{SERVICE}/EmptyCall", raw_body=grpc_message(b"\x01\x02", compressed=True),
                     metadata=[("grpc-encoding", "x-no-such-codec")])
    assert result.grpc_status == UNIMPLEMENTED, result.describe()
    assert_empty_call_works(h2)


def test_gzip_message_is_decoded_or_refused_as_unimplemented(pb, h2):
    request = pb.messages.SimpleRequest(response_size=7).SerializeToString()
    result = h2.call(f"{SERVICE}/UnaryCall",
                     raw_body=grpc_message(gzip.compress(request), compressed=True),
                     metadata=[("grpc-encoding", "gzip"), ("grpc-accept-encoding", "identity")])
    assert result.grpc_status in (OK, UNIMPLEMENTED), result.describe()
    if result.grpc_status == OK:
        [(flag, body)] = result.messages
        assert flag == 0, "compressed response although the client accepts only identity"
        assert pb.messages.SimpleResponse.FromString(body).payload.body == bytes(7)
    assert_empty_call_works(h2)


# --- multiplexing --------------------------------------------------------------------

def test_server_advertises_max_concurrent_streams(h2):
    settings = h2.wait_for_settings()
    assert settings.get(h2peer.SETTINGS_MAX_CONCURRENT_STREAMS) == 100, settings


def test_concurrent_calls_on_one_connection_run_in_parallel(pb, h2):
    h2.wait_for_settings()
    started = time.monotonic()
    streams = [h2.start(f"{SERVICE}/StreamingOutputCall", [sleeping_request(pb, 1.0, size=100)])
               for _ in range(100)]
    for stream_id in streams:
        result = h2.wait(stream_id)
        assert result.grpc_status == OK, result.describe()
        assert len(result.messages) == 1
    elapsed = time.monotonic() - started
    assert elapsed < 8, f"100 one-second calls on one connection took {elapsed:.1f}s"


def test_stream_over_the_concurrency_limit_is_refused(pb, h2):
    h2.wait_for_settings()
    # h2 itself keeps to the server's limit; lift it locally to send a 101st stream.
    h2.conn.remote_settings.max_concurrent_streams = 1000
    h2.conn.remote_settings.acknowledge()
    streams = [h2.start(f"{SERVICE}/StreamingOutputCall", [sleeping_request(pb, 1.0)])
               for _ in range(101)]
    extra = h2.wait(streams[-1])
    if h2.goaway is not None:
        # RFC 9113 5.1.2 allows a stream error; nghttp2 makes it a connection error.
        assert h2.goaway.error_code == h2peer.PROTOCOL_ERROR, h2.goaway
        assert h2.goaway.last_stream_id < streams[-1], h2.goaway
        return
    assert extra.reset_code == h2peer.REFUSED_STREAM or (
        extra.grpc_status is not None and extra.grpc_status != OK), extra.describe()
    for stream_id in streams[:100]:
        result = h2.wait(stream_id)
        assert result.grpc_status == OK, result.describe()


@pytest.mark.beyond_grpcio("grpc core with a stream limit refuses streams the client counts as closed")
def test_many_grpcio_calls_multiplexed_on_one_channel(pb, channel):
    stub = pb.test_grpc.TestServiceStub(channel)
    # Connect first: grpcio opens streams beyond the server's limit of 100 if it has not
    # seen the server's SETTINGS yet, and does not retry the refused ones.
    stub.EmptyCall(pb.empty.Empty(), timeout=TIMEOUT)
    sizes = [(i * 7919) % 20000 for i in range(300)]
    pending = [stub.UnaryCall.future(
        pb.messages.SimpleRequest(response_size=size, payload=pb.messages.Payload(body=bytes(size % 100))),
        timeout=60) for size in sizes]
    stream = stub.StreamingOutputCall(pb.messages.StreamingOutputCallRequest(
        response_parameters=[pb.messages.ResponseParameters(size=1000)] * 50), timeout=60)
    assert [len(r.payload.body) for r in stream] == [1000] * 50
    for size, future in zip(sizes, pending):
        assert len(future.result().payload.body) == size


# --- graceful shutdown ---------------------------------------------------------------

def test_sigterm_drains_in_flight_calls_and_sends_goaway(pb, fresh_servers):
    server = fresh_servers.launch()
    with GrpcH2Client("127.0.0.1", server.port, timeout=TIMEOUT) as client:
        assert_empty_call_works(client)
        stream_id = client.start(f"{SERVICE}/StreamingOutputCall", [sleeping_request(pb, 2.0)])
        time.sleep(0.3)
        server.terminate()
        result = client.wait(stream_id, timeout=15)
        assert result.grpc_status == OK, f"in-flight call not drained: {result.describe()}"
        assert len(result.messages) == 1
        try:
            client.pump(lambda: client.goaway is not None, timeout=10)
        except h2peer.ConnectionClosed:
            pass
        assert client.goaway is not None, "no GOAWAY before the connection closed"
        assert client.goaway.error_code == h2peer.NO_ERROR
        assert client.goaway.last_stream_id >= stream_id
    assert server.process.wait(15) == 0, "the server did not exit cleanly after draining"
