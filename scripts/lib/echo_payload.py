#!/usr/bin/env python3
"""The benchmark's request: `sessiongw.benchmark.v1.EchoMessage { bytes payload = 1; }`.

Usage: echo_payload.py PAYLOAD_SIZE OUTPUT_FILE
Writes one gRPC-framed request (compression flag 0, 4-byte big-endian length, the
serialized message) for h2load's `-d`. The helpers that import this module use the same
encoding, so h2load and the grpcio check send identical bytes.
"""
import sys


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def echo_message(payload_size):
    """EchoMessage with `payload` set to payload_size bytes of a repeating pattern."""
    payload = bytes(i % 251 for i in range(payload_size))
    return b"\x0a" + varint(payload_size) + payload


def grpc_frame(message):
    return b"\x00" + len(message).to_bytes(4, "big") + message


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    size, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "wb") as out:
        out.write(grpc_frame(echo_message(size)))


if __name__ == "__main__":
    main()
