"""The gRPC interop client cases, in Python grpcio, as the interop test descriptions
(grpc/doc/interop-test-descriptions.md) define them.

Each case takes the generated modules and a channel and raises AssertionError (or
grpc.RpcError) when the server does not behave as the description requires.
"""

from __future__ import annotations

import queue
import threading

import grpc

TIMEOUT = 30.0  # seconds, for every call that is not about deadlines

CLIENT_STREAMING_SIZES = (27182, 8, 1828, 45904)
SERVER_STREAMING_SIZES = (31415, 9, 2653, 58979)
ECHO_INITIAL = ("x-grpc-test-echo-initial", "test_initial_metadata_value")
ECHO_TRAILING = ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab")
SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class RequestQueue:
    """A request iterator the test feeds one message at a time; `close()` half-closes."""

    _END = object()

    def __init__(self):
        self._queue: queue.Queue = queue.Queue()

    def put(self, message) -> None:
        self._queue.put(message)

    def close(self) -> None:
        self._queue.put(self._END)

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get()
        if item is self._END:
            raise StopIteration
        return item


def _stub(pb, channel):
    return pb.test_grpc.TestServiceStub(channel)


def _payload(pb, size: int):
    return pb.messages.Payload(type=pb.messages.COMPRESSABLE, body=bytes(size))


def _check_payload(payload, size: int, what: str) -> None:
    assert payload.type == 0, f"{what}: payload type {payload.type}, expected COMPRESSABLE"
    assert len(payload.body) == size, f"{what}: payload of {len(payload.body)} bytes, expected {size}"
    assert payload.body == bytes(size), f"{what}: payload bytes are not all zero"


def _expect_status(error: BaseException, code: grpc.StatusCode, what: str, details=None) -> None:
    assert isinstance(error, grpc.RpcError), f"{what}: expected an RPC error, got {error!r}"
    assert error.code() == code, f"{what}: status {error.code()} ({error.details()!r}), expected {code}"
    if details is not None:
        assert error.details() == details, f"{what}: message {error.details()!r}, expected {details!r}"


def _streaming_request(pb, response_size: int, payload_size: int, **fields):
    return pb.messages.StreamingOutputCallRequest(
        response_type=pb.messages.COMPRESSABLE,
        response_parameters=[pb.messages.ResponseParameters(size=response_size)],
        payload=_payload(pb, payload_size), **fields)


def empty_unary(pb, channel):
    response = _stub(pb, channel).EmptyCall(pb.empty.Empty(), timeout=TIMEOUT)
    assert isinstance(response, pb.empty.Empty)
    assert response.ByteSize() == 0


def large_unary(pb, channel):
    request = pb.messages.SimpleRequest(
        response_type=pb.messages.COMPRESSABLE, response_size=314159,
        payload=_payload(pb, 271828))
    response = _stub(pb, channel).UnaryCall(request, timeout=TIMEOUT)
    _check_payload(response.payload, 314159, "UnaryCall response")


def client_streaming(pb, channel):
    requests = (pb.messages.StreamingInputCallRequest(payload=_payload(pb, size))
                for size in CLIENT_STREAMING_SIZES)
    response = _stub(pb, channel).StreamingInputCall(requests, timeout=TIMEOUT)
    assert response.aggregated_payload_size == sum(CLIENT_STREAMING_SIZES) == 74922, (
        f"aggregated_payload_size {response.aggregated_payload_size}, expected 74922")


def server_streaming(pb, channel):
    request = pb.messages.StreamingOutputCallRequest(
        response_type=pb.messages.COMPRESSABLE,
        response_parameters=[pb.messages.ResponseParameters(size=size)
                             for size in SERVER_STREAMING_SIZES])
    responses = list(_stub(pb, channel).StreamingOutputCall(request, timeout=TIMEOUT))
    assert len(responses) == len(SERVER_STREAMING_SIZES), f"{len(responses)} responses, expected 4"
    for index, (response, size) in enumerate(zip(responses, SERVER_STREAMING_SIZES)):
        _check_payload(response.payload, size, f"response {index}")


def ping_pong(pb, channel):
    requests = RequestQueue()
    call = _stub(pb, channel).FullDuplexCall(requests, timeout=TIMEOUT)
    try:
        for index, (response_size, payload_size) in enumerate(
                zip(SERVER_STREAMING_SIZES, CLIENT_STREAMING_SIZES)):
            requests.put(_streaming_request(pb, response_size, payload_size))
            response = next(call)
            _check_payload(response.payload, response_size, f"response {index}")
        requests.close()
        leftover = list(call)
        assert leftover == [], f"{len(leftover)} responses after the last request"
        assert call.code() == grpc.StatusCode.OK
    finally:
        requests.close()
        call.cancel()


def empty_stream(pb, channel):
    responses = list(_stub(pb, channel).FullDuplexCall(iter(()), timeout=TIMEOUT))
    assert responses == [], f"{len(responses)} responses to an empty stream"


def custom_metadata(pb, channel):
    stub = _stub(pb, channel)
    metadata = (ECHO_INITIAL, ECHO_TRAILING)

    unary_request = pb.messages.SimpleRequest(
        response_type=pb.messages.COMPRESSABLE, response_size=314159,
        payload=_payload(pb, 271828))
    response, call = stub.UnaryCall.with_call(unary_request, metadata=metadata, timeout=TIMEOUT)
    _check_payload(response.payload, 314159, "UnaryCall response")
    _check_echoed_metadata(call, "UnaryCall")

    call = stub.FullDuplexCall(iter([_streaming_request(pb, 314159, 271828)]),
                               metadata=metadata, timeout=TIMEOUT)
    responses = list(call)
    assert len(responses) == 1, f"FullDuplexCall: {len(responses)} responses, expected 1"
    _check_payload(responses[0].payload, 314159, "FullDuplexCall response")
    _check_echoed_metadata(call, "FullDuplexCall")


def _check_echoed_metadata(call, what: str) -> None:
    initial = [tuple(item) for item in call.initial_metadata()]
    trailing = [tuple(item) for item in call.trailing_metadata()]
    assert ECHO_INITIAL in initial, f"{what}: initial metadata {initial} lacks {ECHO_INITIAL}"
    assert ECHO_TRAILING in trailing, f"{what}: trailing metadata {trailing} lacks {ECHO_TRAILING}"


def status_code_and_message(pb, channel):
    stub = _stub(pb, channel)
    message = "test status message"
    echo_status = pb.messages.EchoStatus(code=2, message=message)
    try:
        stub.UnaryCall(pb.messages.SimpleRequest(response_status=echo_status), timeout=TIMEOUT)
        raise AssertionError("UnaryCall succeeded, expected status UNKNOWN")
    except grpc.RpcError as error:
        _expect_status(error, grpc.StatusCode.UNKNOWN, "UnaryCall", message)

    requests = [pb.messages.StreamingOutputCallRequest(response_status=echo_status)]
    try:
        list(stub.FullDuplexCall(iter(requests), timeout=TIMEOUT))
        raise AssertionError("FullDuplexCall succeeded, expected status UNKNOWN")
    except grpc.RpcError as error:
        _expect_status(error, grpc.StatusCode.UNKNOWN, "FullDuplexCall", message)


def special_status_message(pb, channel):
    echo_status = pb.messages.EchoStatus(code=2, message=SPECIAL_STATUS_MESSAGE)
    try:
        _stub(pb, channel).UnaryCall(pb.messages.SimpleRequest(response_status=echo_status),
                                     timeout=TIMEOUT)
        raise AssertionError("UnaryCall succeeded, expected status UNKNOWN")
    except grpc.RpcError as error:
        _expect_status(error, grpc.StatusCode.UNKNOWN, "UnaryCall", SPECIAL_STATUS_MESSAGE)


def unimplemented_method(pb, channel):
    try:
        _stub(pb, channel).UnimplementedCall(pb.empty.Empty(), timeout=TIMEOUT)
        raise AssertionError("UnimplementedCall succeeded, expected UNIMPLEMENTED")
    except grpc.RpcError as error:
        _expect_status(error, grpc.StatusCode.UNIMPLEMENTED, "TestService/UnimplementedCall")


def unimplemented_service(pb, channel):
    stub = pb.test_grpc.UnimplementedServiceStub(channel)
    try:
        stub.UnimplementedCall(pb.empty.Empty(), timeout=TIMEOUT)
        raise AssertionError("UnimplementedService/UnimplementedCall succeeded")
    except grpc.RpcError as error:
        _expect_status(error, grpc.StatusCode.UNIMPLEMENTED, "UnimplementedService/UnimplementedCall")


def cancel_after_begin(pb, channel):
    released = threading.Event()

    def requests():
        released.wait(TIMEOUT)
        return
        yield  # a request stream that sends nothing before the call is cancelled

    future = _stub(pb, channel).StreamingInputCall.future(requests(), timeout=TIMEOUT)
    try:
        assert future.cancel(), "the call completed before it could be cancelled"
        assert future.cancelled()
        assert future.code() == grpc.StatusCode.CANCELLED, f"status {future.code()}, expected CANCELLED"
    finally:
        released.set()


def cancel_after_first_response(pb, channel):
    requests = RequestQueue()
    call = _stub(pb, channel).FullDuplexCall(requests, timeout=TIMEOUT)
    try:
        requests.put(_streaming_request(pb, 31415, 27182))
        first = next(call)
        _check_payload(first.payload, 31415, "first response")
        call.cancel()
        try:
            next(call)
            raise AssertionError("a response arrived after the call was cancelled")
        except grpc.RpcError as error:
            _expect_status(error, grpc.StatusCode.CANCELLED, "FullDuplexCall")
    finally:
        requests.close()


def timeout_on_sleeping_server(pb, channel):
    requests = RequestQueue()
    call = _stub(pb, channel).FullDuplexCall(requests, timeout=0.001)
    try:
        requests.put(pb.messages.StreamingOutputCallRequest(payload=_payload(pb, 27182)))
        try:
            list(call)
            raise AssertionError("FullDuplexCall with a 1 ms deadline completed normally")
        except grpc.RpcError as error:
            _expect_status(error, grpc.StatusCode.DEADLINE_EXCEEDED, "FullDuplexCall")
    finally:
        requests.close()


CASES = {
    case.__name__: case
    for case in (
        empty_unary, large_unary, client_streaming, server_streaming, ping_pong, empty_stream,
        custom_metadata, status_code_and_message, special_status_message, unimplemented_method,
        unimplemented_service, cancel_after_begin, cancel_after_first_response,
        timeout_on_sleeping_server,
    )
}

# Cases whose outcome the client decides alone (it cancels, or its own 1 ms deadline
# expires), so a misbehaving server cannot make them fail.
CLIENT_DETERMINED = frozenset({"cancel_after_begin", "timeout_on_sleeping_server"})

# Cases whose description asserts only the final status, not what the server sent before
# it; a client may pass them against a server that answers with a wrong payload size.
STATUS_ONLY = frozenset({"cancel_after_first_response"})
