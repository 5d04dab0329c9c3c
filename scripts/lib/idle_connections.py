#!/usr/bin/env python3
"""Measures a server's resident memory per idle HTTP/2 connection.

Usage: idle_connections.py --port PORT --pid PID [--count N] [--warm-up N] [--settle SECONDS]

Opens --warm-up connections first (so one-off costs of the first connections, such as
lazily created event-loop state, fall outside the measurement), reads the server's VmRSS,
then opens --count more and reads VmRSS again once the server has settled. Each connection
is counted only after the HTTP/2 handshake has completed both ways: the client preface
and SETTINGS were sent, the server's SETTINGS arrived and was acknowledged, and the server
acknowledged ours. All connections stay open until the second reading; the script fails
if the server closed any of them. Prints one JSON object.
"""
import argparse
import json
import resource
import select
import socket
import statistics
import sys
import time

import h2.config
import h2.connection
import h2.events

HANDSHAKE_TIMEOUT = 10.0


def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def settled_rss_kib(pid, settle):
    """Median of three readings taken after waiting `settle` seconds."""
    time.sleep(settle)
    readings = []
    for _ in range(3):
        readings.append(vm_rss_kib(pid))
        time.sleep(0.2)
    return statistics.median(readings)


class IdleConnection:
    """One client connection that completes the HTTP/2 handshake and then sends nothing."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=HANDSHAKE_TIMEOUT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.h2.initiate_connection()
        self.sock.sendall(self.h2.data_to_send())

        got_server_settings = got_settings_ack = False
        while not (got_server_settings and got_settings_ack):
            for event in self._receive():
                if isinstance(event, h2.events.RemoteSettingsChanged):
                    got_server_settings = True
                elif isinstance(event, h2.events.SettingsAcknowledged):
                    got_settings_ack = True
        self.sock.setblocking(False)

    def _receive(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("server closed the connection during the handshake")
        events = self.h2.receive_data(data)
        for event in events:
            if isinstance(event, h2.events.ConnectionTerminated):
                raise ConnectionError(f"server sent GOAWAY during the handshake: {event}")
        outgoing = self.h2.data_to_send()  # our SETTINGS ACK, PING ACKs
        if outgoing:
            self.sock.sendall(outgoing)
        return events

    def is_open(self):
        """Drains anything the server sent since the handshake; False on EOF or GOAWAY."""
        while select.select([self.sock], [], [], 0)[0]:
            try:
                data = self.sock.recv(65536)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not data:
                return False
            for event in self.h2.receive_data(data):
                if isinstance(event, h2.events.ConnectionTerminated):
                    return False
            outgoing = self.h2.data_to_send()
            if outgoing:
                self.sock.sendall(outgoing)
        return True

    def close(self):
        self.sock.close()


def open_connections(port, count):
    return [IdleConnection(port) for _ in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server process")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--warm-up", type=int, default=8)
    parser.add_argument("--settle", type=float, default=1.0)
    args = parser.parse_args()

    needed = args.count + args.warm_up + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))

    warm = open_connections(args.port, args.warm_up)
    before = settled_rss_kib(args.pid, args.settle)
    measured = open_connections(args.port, args.count)
    after = settled_rss_kib(args.pid, args.settle)

    closed = sum(not connection.is_open() for connection in warm + measured)
    for connection in warm + measured:
        connection.close()
    if closed:
        sys.exit(f"idle connections: the server closed {closed} of {len(warm) + len(measured)}")

    print(json.dumps({
        "connections": args.count,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "per_connection_kib": round((after - before) / args.count, 2),
    }))


if __name__ == "__main__":
    main()
