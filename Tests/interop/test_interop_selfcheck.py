"""Checks the interop test cases themselves against the Python reference server.

The cases in interop_cases.py pass against a correct grpcio server and fail against a
faulty one; otherwise a pass against our server would prove nothing.
"""

import grpc
import pytest

from interop_cases import CASES, CLIENT_DETERMINED


@pytest.mark.parametrize("case", CASES)
def test_case_passes_against_reference_server(case, pb, reference_server):
    with grpc.insecure_channel(reference_server.target) as channel:
        CASES[case](pb, channel)


@pytest.mark.parametrize("case", sorted(set(CASES) - CLIENT_DETERMINED))
def test_case_fails_against_faulty_server(case, pb, faulty_server):
    with grpc.insecure_channel(faulty_server.target) as channel:
        with pytest.raises((AssertionError, grpc.RpcError)):
            CASES[case](pb, channel)
