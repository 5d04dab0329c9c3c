"""Fixtures for the interop suites: generated stubs, TLS material, servers under test.

Environment:
  SESSIONGW_BIN_DIR          where rpc-interop-server/-client are (default .build/release)
  SESSIONGW_INTEROP_SERVER   `ours` (default) or `python`: which server the server-side
                             suites test; `python` checks the tests against the reference
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import grpc
import pytest

import interop_procs
import interop_stubs
from interop_procs import ServerProcess

DEFAULT_TEST_TIMEOUT = 180  # seconds, per test, when pytest-timeout is installed


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "beyond_grpcio(reason): a requirement of ours that the grpcio reference "
        "server does not meet; expected to fail when SESSIONGW_INTEROP_SERVER=python")


def pytest_collection_modifyitems(config, items):
    with_timeout = config.pluginmanager.hasplugin("timeout")
    against_reference = interop_procs.server_implementation() == "python"
    for item in items:
        if with_timeout and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(DEFAULT_TEST_TIMEOUT))
        beyond = item.get_closest_marker("beyond_grpcio")
        if against_reference and beyond is not None:
            item.add_marker(pytest.mark.xfail(reason=f"grpcio server: {beyond.args[0]}", strict=False))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    reported = set()
    for value in getattr(item, "funcargs", {}).values():
        if isinstance(value, ServerProcess) and id(value) not in reported:
            reported.add(id(value))
            report.sections.append((f"{value.name} output", value.log_tail(60)))


@pytest.fixture(scope="session")
def stubs_dir(tmp_path_factory) -> Path:
    return interop_stubs.generate(tmp_path_factory.mktemp("stubs"))


@pytest.fixture(scope="session")
def pb(stubs_dir):
    """The generated protobuf and grpcio modules (see interop_stubs.MODULES)."""
    return interop_stubs.load(stubs_dir)


@pytest.fixture(scope="session")
def tls(tmp_path_factory) -> interop_procs.TLSMaterial:
    return interop_procs.make_tls_material(tmp_path_factory.mktemp("tls"))


class ServerPool:
    """Starts interop servers and, on close, stops them and reports any that crashed."""

    def __init__(self, stubs_dir: Path, tls: interop_procs.TLSMaterial, log_dir: Path):
        self.stubs_dir = stubs_dir
        self.tls = tls
        self.log_dir = log_dir
        self.servers: list[ServerProcess] = []

    def launch(self, *, implementation: str | None = None, tls: bool = False,
               uds: bool = False, faulty: bool = False, extra: tuple[str, ...] = ()) -> ServerProcess:
        implementation = implementation or interop_procs.server_implementation()
        argv = interop_procs.interop_server_command(implementation, self.stubs_dir)
        argv += ["--port", "0", "--host", "127.0.0.1"]
        if tls:
            argv += ["--tls", "--cert-chain", str(self.tls.server_cert_chain),
                     "--private-key", str(self.tls.server_key)]
        uds_path = None
        if uds:
            uds_path = Path(tempfile.mkdtemp(prefix="rpc-uds-")) / "interop.sock"
            argv += ["--uds", str(uds_path)]
        if faulty:
            argv.append("--faulty")
        argv += list(extra)
        index = len(self.servers)
        name = f"{implementation} interop server" + (" (faulty)" if faulty else "")
        server = ServerProcess(argv, self.log_dir / f"server-{index}.log", name)
        server.uds_path = uds_path
        self.servers.append(server)
        server.wait_listening()
        if uds_path is not None:
            interop_procs.wait_for_unix_socket(uds_path)
        return server

    def close(self) -> list[str]:
        problems = []
        for server in self.servers:
            if server.uds_path is not None:
                shutil.rmtree(server.uds_path.parent, ignore_errors=True)
            crashed = not server.alive() and not server.terminated_by_test
            try:
                code = server.stop()
            except AssertionError as error:
                problems.append(str(error))
                continue
            exit_status = interop_procs.describe_exit(code)
            if crashed:
                problems.append(f"{server.name} crashed during the tests: exit status "
                                f"{exit_status}\n" + server.log_tail())
            elif code != 0:
                problems.append(f"{server.name} did not exit cleanly on SIGTERM: exit status "
                                f"{exit_status}\n" + server.log_tail())
        return problems


def _pool(stubs_dir, tls, tmp_path_factory):
    pool = ServerPool(stubs_dir, tls, tmp_path_factory.mktemp("server-logs"))
    yield pool
    problems = pool.close()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture(scope="module")
def module_servers(stubs_dir, tls, tmp_path_factory):
    """Servers that live for one test module."""
    yield from _pool(stubs_dir, tls, tmp_path_factory)


@pytest.fixture
def fresh_servers(stubs_dir, tls, tmp_path_factory):
    """Servers that live for one test."""
    yield from _pool(stubs_dir, tls, tmp_path_factory)


@pytest.fixture(scope="module")
def _module_server(module_servers) -> ServerProcess:
    return module_servers.launch()


@pytest.fixture
def server(_module_server) -> ServerProcess:
    """The interop server under test (h2c), shared by a module, checked around each test."""
    _module_server.assert_alive("before the test")
    yield _module_server
    _module_server.assert_alive("after the test")


@pytest.fixture
def channel(server):
    with grpc.insecure_channel(server.target) as channel:
        yield channel


@pytest.fixture(scope="module")
def reference_server(module_servers):
    """The Python grpcio reference server (interop_server.py), for one test module."""
    return module_servers.launch(implementation="python")


@pytest.fixture(scope="module")
def faulty_server(module_servers):
    """The reference server in its faulty mode, which the client cases must catch."""
    return module_servers.launch(implementation="python", faulty=True)
