#!/usr/bin/env python3
"""A reference interop client in Python grpcio with the command line of our
rpc-interop-client, used to check test_our_client_vs_grpcio_server.py itself:

    interop_client.py --server-host HOST --server-port PORT --test-case NAME
                      [--use-tls --ca-file FILE --server-host-override NAME]

Exits 0 when the case passes, 1 with a message when it fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parent))
import interop_cases  # noqa: E402
import interop_stubs  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-host", default="127.0.0.1")
    parser.add_argument("--server-port", type=int, required=True)
    parser.add_argument("--test-case", required=True)
    parser.add_argument("--use-tls", action="store_true")
    parser.add_argument("--ca-file")
    parser.add_argument("--server-host-override")
    args = parser.parse_args(argv)

    case = interop_cases.CASES.get(args.test_case)
    if case is None:
        print(f"unknown test case {args.test_case!r}", file=sys.stderr)
        return 2
    pb = interop_stubs.load(interop_stubs.generate(Path(tempfile.mkdtemp(prefix="interop-stubs-"))))
    target = f"{args.server_host}:{args.server_port}"
    if args.use_tls:
        roots = Path(args.ca_file).read_bytes() if args.ca_file else None
        options = [("grpc.ssl_target_name_override", args.server_host_override)] \
            if args.server_host_override else []
        channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(roots), options=options)
    else:
        channel = grpc.insecure_channel(target)
    try:
        with channel:
            case(pb, channel)
    except (AssertionError, grpc.RpcError) as error:
        traceback.print_exc()
        print(f"{args.test_case}: FAILED: {error}", file=sys.stderr)
        return 1
    print(f"{args.test_case}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
