"""Python grpcio as the client against our interop server: the interop cases over h2c,
TLS and a Unix domain socket, and the health and reflection services."""

import socket
import ssl
import time

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool

from interop_procs import secure_channel
from interop_cases import CASES, RequestQueue

TLS_CASES = ["empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong",
             "custom_metadata", "special_status_message", "cancel_after_first_response"]
UDS_CASES = ["empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong",
             "status_code_and_message", "unimplemented_service"]
OUR_SERVICES = {
    "grpc.testing.TestService",
    "sessiongw.benchmark.v1.Echo",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
}
TIMEOUT = 20


@pytest.mark.parametrize("case", CASES)
def test_interop_case_over_h2c(case, pb, channel):
    CASES[case](pb, channel)


@pytest.fixture(scope="module")
def tls_server(module_servers):
    return module_servers.launch(tls=True)


@pytest.fixture(scope="module")
def uds_server(module_servers):
    return module_servers.launch(uds=True)


@pytest.mark.parametrize("case", TLS_CASES)
def test_interop_case_over_tls(case, pb, tls_server, tls):
    with secure_channel(tls_server.target, tls) as channel:
        CASES[case](pb, channel)
    tls_server.assert_alive()


def test_tls_negotiates_h2_with_alpn(tls_server, tls):
    context = ssl.create_default_context(cafile=str(tls.ca_cert))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=TIMEOUT) as raw:
        with context.wrap_socket(raw, server_hostname=tls.server_name) as tls_socket:
            assert tls_socket.selected_alpn_protocol() == "h2"
            assert tls_socket.version() in ("TLSv1.2", "TLSv1.3")


def test_tls_port_refuses_cleartext_grpc(pb, tls_server):
    with grpc.insecure_channel(tls_server.target) as channel:
        with pytest.raises(grpc.RpcError) as caught:
            pb.test_grpc.TestServiceStub(channel).EmptyCall(pb.empty.Empty(), timeout=5)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    tls_server.assert_alive()


@pytest.mark.parametrize("case", UDS_CASES)
def test_interop_case_over_unix_socket(case, pb, uds_server):
    with grpc.insecure_channel(f"unix:{uds_server.uds_path}") as channel:
        CASES[case](pb, channel)
    uds_server.assert_alive()


# --- grpc.health.v1.Health -------------------------------------------------------------

def test_health_check_reports_the_server_serving(pb, channel):
    stub = pb.health_grpc.HealthStub(channel)
    response = stub.Check(pb.health.HealthCheckRequest(service=""), timeout=TIMEOUT)
    assert response.status == pb.health.HealthCheckResponse.SERVING, response


def test_health_check_of_unknown_service_is_not_found(pb, channel):
    stub = pb.health_grpc.HealthStub(channel)
    with pytest.raises(grpc.RpcError) as caught:
        stub.Check(pb.health.HealthCheckRequest(service="no.such.Service"), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("service, expected", [("", "SERVING"), ("no.such.Service", "SERVICE_UNKNOWN")])
def test_health_watch_sends_current_status_and_stays_open(pb, channel, service, expected):
    stub = pb.health_grpc.HealthStub(channel)
    call = stub.Watch(pb.health.HealthCheckRequest(service=service), timeout=TIMEOUT)
    try:
        first = next(call)
        assert pb.health.HealthCheckResponse.ServingStatus.Name(first.status) == expected
        time.sleep(0.3)
        assert call.is_active(), "Watch ended instead of staying open for status changes"
    finally:
        call.cancel()


# --- grpc.reflection.v1.ServerReflection -----------------------------------------------

def _reflect(pb, channel, **request_fields):
    stub = pb.reflection_grpc.ServerReflectionStub(channel)
    request = pb.reflection.ServerReflectionRequest(**request_fields)
    responses = list(stub.ServerReflectionInfo(iter([request]), timeout=TIMEOUT))
    assert len(responses) == 1, f"{len(responses)} responses to one reflection request"
    return responses[0]


def _files(pb, channel, **request_fields) -> list:
    response = _reflect(pb, channel, **request_fields)
    assert response.WhichOneof("message_response") == "file_descriptor_response", response
    files = []
    for blob in response.file_descriptor_response.file_descriptor_proto:
        proto = descriptor_pb2.FileDescriptorProto()
        proto.ParseFromString(blob)
        files.append(proto)
    assert files, "an empty file_descriptor_response"
    return files


def test_reflection_lists_our_services(pb, channel):
    response = _reflect(pb, channel, list_services="*")
    names = {service.name for service in response.list_services_response.service}
    assert OUR_SERVICES <= names, f"listed {sorted(names)}"


def test_reflection_answers_under_the_v1alpha_name(pb, channel):
    """Tools that speak only grpc.reflection.v1alpha (older grpcurl, evans) get the same
    answers: the messages are the same on the wire."""
    info = channel.stream_stream(
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        request_serializer=pb.reflection.ServerReflectionRequest.SerializeToString,
        response_deserializer=pb.reflection.ServerReflectionResponse.FromString)
    requests = [pb.reflection.ServerReflectionRequest(list_services="*"),
                pb.reflection.ServerReflectionRequest(file_containing_symbol="grpc.testing.TestService")]
    listed, described = list(info(iter(requests), timeout=TIMEOUT))
    names = {service.name for service in listed.list_services_response.service}
    assert OUR_SERVICES <= names, f"listed {sorted(names)}"
    assert described.WhichOneof("message_response") == "file_descriptor_response", described
    first = descriptor_pb2.FileDescriptorProto.FromString(
        described.file_descriptor_response.file_descriptor_proto[0])
    assert first.name == "grpc/testing/test.proto"


def test_reflection_file_containing_symbol_describes_test_service(pb, channel):
    files = _files(pb, channel, file_containing_symbol="grpc.testing.TestService")
    test_file = files[0]
    assert test_file.package == "grpc.testing"
    assert "TestService" in [service.name for service in test_file.service], test_file.name
    methods = {m.name: m for s in test_file.service if s.name == "TestService" for m in s.method}
    assert {"EmptyCall", "UnaryCall", "StreamingOutputCall", "StreamingInputCall",
            "FullDuplexCall", "HalfDuplexCall", "UnimplementedCall"} <= set(methods)
    assert methods["FullDuplexCall"].client_streaming and methods["FullDuplexCall"].server_streaming

    # What a generic tool does next: fetch missing imports by name and build a pool.
    known = {f.name: f for f in files}
    pending = [d for f in files for d in f.dependency if d not in known]
    while pending:
        name = pending.pop()
        if name in known:
            continue
        fetched = _files(pb, channel, file_by_filename=name)
        assert fetched[0].name == name, f"asked for {name}, got {fetched[0].name}"
        for proto in fetched:
            known.setdefault(proto.name, proto)
            pending.extend(d for d in proto.dependency if d not in known)
    pool = descriptor_pool.DescriptorPool()
    added: set = set()

    def add(proto):
        if proto.name in added:
            return
        for dependency in proto.dependency:
            add(known[dependency])
        pool.Add(proto)
        added.add(proto.name)

    add(test_file)
    method = pool.FindMethodByName("grpc.testing.TestService.UnaryCall")
    assert method.input_type.full_name == "grpc.testing.SimpleRequest"
    assert method.output_type.full_name == "grpc.testing.SimpleResponse"
    fields = {f.name: f.number for f in method.input_type.fields}
    assert fields["response_size"] == 2 and fields["payload"] == 3


def test_reflection_file_by_filename(pb, channel):
    files = _files(pb, channel, file_by_filename="grpc/testing/messages.proto")
    assert files[0].name == "grpc/testing/messages.proto"
    assert "SimpleRequest" in [message.name for message in files[0].message_type]


def test_reflection_reports_unknown_symbol_as_not_found(pb, channel):
    response = _reflect(pb, channel, file_containing_symbol="no.such.Symbol")
    assert response.WhichOneof("message_response") == "error_response", response
    assert response.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]


# --- sessiongw.benchmark.v1.Echo -------------------------------------------------------

@pytest.mark.parametrize("size", [0, 64, 100_000])
def test_echo_returns_the_payload(pb, channel, size):
    payload = bytes(i % 251 for i in range(size))
    response = pb.echo_grpc.EchoStub(channel).Unary(pb.echo.EchoMessage(payload=payload), timeout=TIMEOUT)
    assert response.payload == payload


def test_echo_server_stream_sends_the_messages_asked_for(pb, channel):
    request = pb.echo.StreamRequest(message_count=1000, payload_size=64)
    responses = list(pb.echo_grpc.EchoStub(channel).ServerStream(request, timeout=TIMEOUT))
    assert len(responses) == 1000
    assert all(response.payload == bytes(64) for response in responses)


def test_echo_server_stream_refuses_more_than_its_limit(pb, channel):
    request = pb.echo.StreamRequest(message_count=1_000_001, payload_size=1)
    with pytest.raises(grpc.RpcError) as error:
        list(pb.echo_grpc.EchoStub(channel).ServerStream(request, timeout=TIMEOUT))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT



def test_large_responses_on_a_busy_connection_keep_the_connection(pb, server):
    """grpcio with default options probes bandwidth with PINGs while responses arrive:
    4 MiB responses, with another call open, must come without the connection being
    dropped (a GOAWAY too_many_pings shows as the channel leaving READY)."""
    size = (4 << 20) - 64
    states: list = []
    with grpc.insecure_channel(server.target) as channel:
        stub = pb.test_grpc.TestServiceStub(channel)
        stub.EmptyCall(pb.empty.Empty(), timeout=TIMEOUT)
        channel.subscribe(states.append)
        idle = RequestQueue()  # another call, open and quiet
        other = stub.FullDuplexCall(idle, timeout=TIMEOUT)
        try:
            for index in range(5):
                response = stub.UnaryCall(pb.messages.SimpleRequest(response_size=size), timeout=TIMEOUT)
                assert len(response.payload.body) == size, f"response {index + 1}"
        finally:
            idle.close()
            other.cancel()
        time.sleep(0.2)  # let the callbacks of any state change arrive
    left_ready = [state for state in states if state != grpc.ChannelConnectivity.READY]
    assert not left_ready, f"the channel left READY during the responses: {states}"
