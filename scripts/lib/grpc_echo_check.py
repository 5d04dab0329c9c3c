#!/usr/bin/env python3
"""Checks that a server really answers the benchmark's Echo call with grpc-status 0.

Usage: grpc_echo_check.py PORT [PAYLOAD_SIZE]
h2load counts an HTTP 200 as success, but gRPC reports errors as HTTP 200 with a
non-zero grpc-status trailer. This makes a few real unary calls with grpcio (raw-bytes
serializers, so no generated code is needed) and fails unless every call ends with
status OK and returns the request bytes unchanged.
"""
import os
import sys

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from echo_payload import echo_message  # noqa: E402

METHOD = "/sessiongw.benchmark.v1.Echo/Unary"
CALLS = 3


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    port = int(sys.argv[1])
    size = int(sys.argv[2]) if len(sys.argv) == 3 else 64
    request = echo_message(size)

    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        unary = channel.unary_unary(
            METHOD,
            request_serializer=lambda message: message,
            response_deserializer=lambda message: message,
        )
        for _ in range(CALLS):
            try:
                response, call = unary.with_call(request, timeout=10)
            except grpc.RpcError as error:
                sys.exit(f"echo check: {METHOD} failed: {error.code().name} {error.details()!r}")
            if call.code() != grpc.StatusCode.OK:
                sys.exit(f"echo check: {METHOD} ended with {call.code().name}")
            if response != request:
                sys.exit(
                    f"echo check: {METHOD} returned {len(response)} bytes that differ "
                    f"from the {len(request)}-byte request"
                )
    print(f"echo check: {CALLS} calls to {METHOD} returned grpc-status 0 and the request bytes")


if __name__ == "__main__":
    main()
