"""Python stubs for the project's .proto files, generated at test time.

Nothing generated is committed: `generate()` runs grpc_tools.protoc on `proto/` into a
scratch directory and `load()` imports the modules from there.

The generated modules live in the `grpc.testing`, `grpc.health.v1` and
`grpc.reflection.v1` packages, which would be shadowed by grpcio's own `grpc` package;
`load()` therefore appends the generated `grpc/` directory to `grpc.__path__`.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

# Tests/, for testkit: this module is also imported by the interop server and client
# scripts, which pytest's conftest does not set up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import testkit  # noqa: E402

REPO_ROOT = testkit.REPO_ROOT
PROTO_ROOT = testkit.PROTO_ROOT

PROTO_FILES = (
    "grpc/testing/empty.proto",
    "grpc/testing/messages.proto",
    "grpc/testing/test.proto",
    "grpc/health/v1/health.proto",
    "grpc/reflection/v1/reflection.proto",
    "sessiongw/benchmark/v1/echo.proto",
)

# (attribute on the returned namespace, module to import)
MODULES = (
    ("empty", "grpc.testing.empty_pb2"),
    ("messages", "grpc.testing.messages_pb2"),
    ("test", "grpc.testing.test_pb2"),
    ("test_grpc", "grpc.testing.test_pb2_grpc"),
    ("health", "grpc.health.v1.health_pb2"),
    ("health_grpc", "grpc.health.v1.health_pb2_grpc"),
    ("reflection", "grpc.reflection.v1.reflection_pb2"),
    ("reflection_grpc", "grpc.reflection.v1.reflection_pb2_grpc"),
    ("echo", "sessiongw.benchmark.v1.echo_pb2"),
    ("echo_grpc", "sessiongw.benchmark.v1.echo_pb2_grpc"),
)


def generate(out_dir: Path) -> Path:
    """Runs protoc (from grpcio-tools) on every project proto; returns `out_dir`."""
    return testkit.generate_stubs(out_dir, PROTO_FILES)


def load(out_dir: Path) -> types.SimpleNamespace:
    """Imports the generated modules from `out_dir` (made by `generate`)."""
    import grpc

    generated_grpc = str(out_dir / "grpc")
    if generated_grpc not in grpc.__path__:
        grpc.__path__.append(generated_grpc)
    if str(out_dir) not in sys.path:
        sys.path.append(str(out_dir))
    importlib.invalidate_caches()
    return types.SimpleNamespace(
        **{name: importlib.import_module(module) for name, module in MODULES}
    )
