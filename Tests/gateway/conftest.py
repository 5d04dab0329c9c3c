import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))

from gateway_procs import Gateway  # noqa: E402
import rpc_recorder  # noqa: E402

rpc_recorder.install()


@pytest.fixture(scope="session")
def api():
    """The generated sessiongw.v1 Python modules."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
    import python_client
    return python_client.load_stubs()


@pytest.fixture
def gateway():
    """A fresh gateway on its own data directory; every session process it started is
    gone afterwards."""
    instance = Gateway().start()
    yield instance
    instance.stop()
    instance.kill_session_processes()
    shutil.rmtree(instance.data_dir, ignore_errors=True)


def pytest_configure(config):
    config.addinivalue_line("markers", "mutual_tls: the gateway requires client certificates signed by the test CA")
