#!/usr/bin/env python3
"""Checks that a server really answers the benchmark's Echo calls with grpc-status 0.

Usage: grpc_echo_check.py PORT [PAYLOAD_SIZE]
       grpc_echo_check.py PORT --stream MESSAGE_COUNT PAYLOAD_SIZE
h2load counts an HTTP 200 as success, but gRPC reports errors as HTTP 200 with a
non-zero grpc-status trailer. This makes a few real calls with grpcio (raw-bytes
serializers, so no generated code is needed) and fails unless every call ends with
status OK and answers as it should: Unary with the request bytes unchanged,
ServerStream with MESSAGE_COUNT EchoMessages of PAYLOAD_SIZE zero bytes.
"""
import os
import sys

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from echo_payload import stream_request, varint  # noqa: E402
from echo_payload import echo_message  # noqa: E402

UNARY = "/sessiongw.benchmark.v1.Echo/Unary"
SERVER_STREAM = "/sessiongw.benchmark.v1.Echo/ServerStream"
CALLS = 3
OPTIONS = [("grpc.max_receive_message_length", 8 * 1024 * 1024),
           ("grpc.max_send_message_length", 8 * 1024 * 1024)]


def raw(method, channel, kind):
    return getattr(channel, kind)(method, request_serializer=lambda m: m,
                                  response_deserializer=lambda m: m)


def check_unary(channel, size):
    request = echo_message(size)
    unary = raw(UNARY, channel, "unary_unary")
    for _ in range(CALLS):
        try:
            response, call = unary.with_call(request, timeout=10)
        except grpc.RpcError as error:
            sys.exit(f"echo check: {UNARY} failed: {error.code().name} {error.details()!r}")
        if call.code() != grpc.StatusCode.OK:
            sys.exit(f"echo check: {UNARY} ended with {call.code().name}")
        if response != request:
            sys.exit(f"echo check: {UNARY} returned {len(response)} bytes that differ "
                     f"from the {len(request)}-byte request")
    print(f"echo check: {CALLS} calls to {UNARY} returned grpc-status 0 and the request bytes")


def check_stream(channel, count, size):
    expected = (b"\x0a" + varint(size) + bytes(size)) if size else b""
    stream = raw(SERVER_STREAM, channel, "unary_stream")
    for _ in range(CALLS):
        call = stream(stream_request(count, size), timeout=30)
        try:
            responses = list(call)
        except grpc.RpcError as error:
            sys.exit(f"echo check: {SERVER_STREAM} failed: {error.code().name} {error.details()!r}")
        if call.code() != grpc.StatusCode.OK:
            sys.exit(f"echo check: {SERVER_STREAM} ended with {call.code().name}")
        if len(responses) != count or any(r != expected for r in responses):
            sys.exit(f"echo check: {SERVER_STREAM} returned {len(responses)} messages, "
                     f"not {count} EchoMessages of {size} zero bytes")
    print(f"echo check: {CALLS} calls to {SERVER_STREAM} returned grpc-status 0 and "
          f"{count} messages of {size} bytes")


def main():
    args = sys.argv[1:]
    with_stream = len(args) == 4 and args[1] == "--stream"
    if not (with_stream or len(args) in (1, 2)):
        sys.exit(__doc__)
    port = int(args[0])
    with grpc.insecure_channel(f"127.0.0.1:{port}", options=OPTIONS) as channel:
        if with_stream:
            check_stream(channel, int(args[2]), int(args[3]))
        else:
            check_unary(channel, int(args[1]) if len(args) == 2 else 64)


if __name__ == "__main__":
    main()
