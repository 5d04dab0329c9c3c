"""A plugin author compiles provider.proto alone: it imports nothing of the public API
(sessiongw.v1), only protobuf's well-known types."""
import importlib
import shutil
import sys

from testkit import PROTO_ROOT, generate_stubs


def test_provider_proto_compiles_without_the_public_api(tmp_path):
    alone = tmp_path / "proto" / "sessiongw" / "provider" / "v1"
    alone.mkdir(parents=True)
    shutil.copy(PROTO_ROOT / "sessiongw" / "provider" / "v1" / "provider.proto", alone)
    out = tmp_path / "out"
    # Only the copied file and the well-known types are on the import path.
    generate_stubs(out, ["sessiongw/provider/v1/provider.proto"], proto_root=tmp_path / "proto")
    sys.path.insert(0, str(out))
    try:
        provider = importlib.import_module("sessiongw.provider.v1.provider_pb2")
    finally:
        sys.path.remove(str(out))
    request = provider.SessionRequest(
        session_id="s-1", spec=provider.SessionSpec(preset="notebook", labels={"team": "ml"}))
    decoded = provider.SessionRequest.FromString(request.SerializeToString())
    assert decoded.spec.labels["team"] == "ml"
    assert list(provider.DESCRIPTOR.dependencies) and all(
        dependency.name.startswith("google/protobuf/") for dependency in provider.DESCRIPTOR.dependencies)
