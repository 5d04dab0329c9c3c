#!/usr/bin/env python3
"""A TCP proxy that records what HTTP/2 clients send, one corpus file per connection.

Usage: recording_proxy.py --listen-port PORT --upstream-port PORT --out DIR
                          [--max-bytes N] [--prefix-file FILE]

Forwards every connection on 127.0.0.1:--listen-port to 127.0.0.1:--upstream-port both
ways, and when a connection closes writes the bytes the client sent, less the 24-byte
HTTP/2 client preface (the fuzz target adds it), to DIR/PREFIX-NNN.bin, cut at the last
whole frame within --max-bytes. PREFIX is read from --prefix-file when a connection is
accepted (so one proxy can label the peers that use it in turn), else `conn`. Runs until
it is terminated; prints its port once it listens.
"""
import argparse
import hashlib
import os
import socket
import threading

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def whole_frames(data, max_bytes):
    """The longest prefix of data that is whole HTTP/2 frames and fits in max_bytes."""
    end = 0
    while end + 9 <= len(data):
        length = int.from_bytes(data[end:end + 3], "big")
        if end + 9 + length > min(len(data), max_bytes):
            break
        end += 9 + length
    return data[:end]


def pump(source, destination, record=None):
    try:
        while True:
            chunk = source.recv(65536)
            if not chunk:
                break
            if record is not None:
                record.append(chunk)
            destination.sendall(chunk)
    except OSError:
        pass
    finally:
        try:
            destination.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(args):
    listener = socket.create_server(("127.0.0.1", args.listen_port))
    print(f"recording proxy listening on {listener.getsockname()[1]}", flush=True)
    counter = 0
    lock = threading.Lock()

    def handle(client, prefix):
        nonlocal counter
        upstream = socket.create_connection(("127.0.0.1", args.upstream_port))
        sent = []
        back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
        back.start()
        pump(client, upstream, sent)
        back.join(timeout=30)
        client.close()
        upstream.close()
        data = b"".join(sent)
        if not data.startswith(PREFACE):
            return
        data = whole_frames(data[len(PREFACE):], args.max_bytes)
        if not data:
            return
        with lock:
            counter += 1
            digest = hashlib.sha1(data).hexdigest()[:12]
            path = os.path.join(args.out, f"{prefix}-{digest}.bin")
        with open(path, "wb") as out:
            out.write(data)

    while True:
        client, _ = listener.accept()
        prefix = "conn"
        if args.prefix_file and os.path.exists(args.prefix_file):
            with open(args.prefix_file) as f:
                prefix = f.read().strip() or prefix
        threading.Thread(target=handle, args=(client, prefix), daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen-port", type=int, required=True)
    parser.add_argument("--upstream-port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-bytes", type=int, default=8192)
    parser.add_argument("--prefix-file")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    serve(args)


if __name__ == "__main__":
    main()
