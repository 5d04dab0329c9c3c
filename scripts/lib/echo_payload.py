#!/usr/bin/env python3
"""The benchmark's requests: `sessiongw.benchmark.v1.EchoMessage { bytes payload = 1; }`
for Unary and `StreamRequest { uint32 message_count = 1; uint32 payload_size = 2; }` for
ServerStream.

Usage: echo_payload.py PAYLOAD_SIZE OUTPUT_FILE
       echo_payload.py --stream MESSAGE_COUNT PAYLOAD_SIZE OUTPUT_FILE
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


def stream_request(message_count, payload_size):
    """StreamRequest asking for message_count messages of payload_size bytes."""
    out = b""
    if message_count:
        out += b"\x08" + varint(message_count)
    if payload_size:
        out += b"\x10" + varint(payload_size)
    return out


def grpc_frame(message):
    return b"\x00" + len(message).to_bytes(4, "big") + message


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--stream":
        message = stream_request(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 3:
        message = echo_message(int(sys.argv[1]))
    else:
        sys.exit(__doc__)
    with open(sys.argv[-1], "wb") as out:
        out.write(grpc_frame(message))


if __name__ == "__main__":
    main()
