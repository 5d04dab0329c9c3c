"""grpcio against the gateway's server reflection: it lists the session services and
describes the session API's files with their imports, as grpcurl and Postman need, and
nothing else of this repository (the interop test service's protos are not the
gateway's)."""
import grpc
import pytest
from google.protobuf import descriptor_pb2

import interop_stubs

SESSION_SERVICES = {
    "sessiongw.v1.SessionService", "sessiongw.v1.CheckpointService", "sessiongw.v1.DataLinkService",
    "sessiongw.v1.CatalogService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
}


@pytest.fixture(scope="module")
def pb(tmp_path_factory):
    return interop_stubs.load(interop_stubs.generate(tmp_path_factory.mktemp("stubs")))


def reflect(pb, gateway, **request_fields):
    channel = grpc.insecure_channel(gateway.address)
    stub = pb.reflection_grpc.ServerReflectionStub(channel)
    request = pb.reflection.ServerReflectionRequest(**request_fields)
    responses = list(stub.ServerReflectionInfo(
        iter([request]), timeout=10, metadata=[("authorization", f"Bearer {gateway.token}")]))
    assert len(responses) == 1, f"{len(responses)} responses to one reflection request"
    return responses[0]


def test_reflection_lists_the_session_services(pb, gateway):
    names = {service.name for service in reflect(pb, gateway, list_services="*").list_services_response.service}
    assert SESSION_SERVICES <= names, f"listed {sorted(names)}"
    assert "grpc.testing.TestService" not in names


def test_reflection_describes_the_session_api_with_its_imports(pb, gateway):
    response = reflect(pb, gateway, file_containing_symbol="sessiongw.v1.SessionService.CreateSession")
    assert response.WhichOneof("message_response") == "file_descriptor_response", response
    files = []
    for blob in response.file_descriptor_response.file_descriptor_proto:
        proto = descriptor_pb2.FileDescriptorProto()
        proto.ParseFromString(blob)
        files.append(proto)
    assert files[0].name == "sessiongw/v1/session_service.proto"
    assert "sessiongw/v1/types.proto" in {file.name for file in files}
    methods = {method.name for service in files[0].service for method in service.method}
    assert {"CreateSession", "WatchSessions", "UpdateSession"} <= methods


@pytest.mark.parametrize("request_fields", [
    {"file_by_filename": "grpc/testing/test.proto"},
    {"file_containing_symbol": "grpc.testing.TestService"},
    {"file_by_filename": "sessiongw/benchmark/v1/echo.proto"},
])
def test_reflection_describes_nothing_but_the_gateways_protos(pb, gateway, request_fields):
    response = reflect(pb, gateway, **request_fields)
    assert response.WhichOneof("message_response") == "error_response", response
    assert response.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]
