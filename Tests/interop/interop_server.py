#!/usr/bin/env python3
"""A reference gRPC interop server in Python grpcio.

It serves `grpc.testing.TestService` as the gRPC interop test descriptions require, plus
`sessiongw.benchmark.v1.Echo`, `grpc.health.v1.Health` and
`grpc.reflection.v1.ServerReflection`, with the same command
line as our `rpc-interop-server`, so the test suite can run against either:

    interop_server.py --port 0 [--host HOST] [--uds PATH]
                      [--tls --cert-chain FILE --private-key FILE]
                      [--stubs DIR] [--faulty]

It prints `listening on ADDRESS` for each listener once it accepts connections and shuts
down gracefully on SIGTERM.

`--faulty` makes it subtly wrong in every case a client can check (payload sizes off by
one, metadata not echoed, status messages changed, the unimplemented methods
implemented). The tests run interop clients against it to prove that each client case
can fail.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
import time
from concurrent import futures
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parent))
import interop_stubs  # noqa: E402

ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"


def status_code(number: int) -> grpc.StatusCode:
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN


def build_test_service(pb, faulty: bool):
    Payload = pb.messages.Payload

    def payload(size: int, context=None) -> "pb.messages.Payload":
        # A faulty server gets sizes wrong, except in calls that ask for echoed metadata,
        # where it fails only at echoing, so that both checks are shown to bite.
        if faulty and not (context is not None and asks_for_echo(context)):
            size += 1
        return Payload(type=pb.messages.COMPRESSABLE, body=bytes(size))

    def asks_for_echo(context) -> bool:
        names = {name for name, _ in context.invocation_metadata()}
        return bool(names & {ECHO_INITIAL, ECHO_TRAILING})

    def sleep_us(context, interval_us: int) -> None:
        deadline = time.monotonic() + interval_us / 1e6
        while context.is_active() and time.monotonic() < deadline:
            time.sleep(min(0.01, max(0.0, deadline - time.monotonic())))

    def echo_metadata(context) -> None:
        if faulty:
            return
        received = dict(context.invocation_metadata())
        if ECHO_INITIAL in received:
            context.send_initial_metadata([(ECHO_INITIAL, received[ECHO_INITIAL])])
        if ECHO_TRAILING in received:
            context.set_trailing_metadata([(ECHO_TRAILING, received[ECHO_TRAILING])])

    def finish_with(context, echo_status) -> None:
        if echo_status.code != 0:
            message = ("faulty: " if faulty else "") + echo_status.message
            context.abort(status_code(echo_status.code), message)

    class TestService(pb.test_grpc.TestServiceServicer):
        def EmptyCall(self, request, context):
            if faulty:
                context.abort(grpc.StatusCode.INTERNAL, "faulty server")
            return pb.empty.Empty()

        def UnaryCall(self, request, context):
            echo_metadata(context)
            finish_with(context, request.response_status)
            return pb.messages.SimpleResponse(payload=payload(request.response_size, context))

        def CacheableUnaryCall(self, request, context):
            return self.UnaryCall(request, context)

        def StreamingOutputCall(self, request, context):
            for parameters in request.response_parameters:
                sleep_us(context, parameters.interval_us)
                yield pb.messages.StreamingOutputCallResponse(payload=payload(parameters.size))
            finish_with(context, request.response_status)

        def StreamingInputCall(self, request_iterator, context):
            total = sum(len(request.payload.body) for request in request_iterator)
            if faulty:
                total += 1
            return pb.messages.StreamingInputCallResponse(aggregated_payload_size=total)

        def FullDuplexCall(self, request_iterator, context):
            echo_metadata(context)
            answered = False
            for request in request_iterator:
                finish_with(context, request.response_status)
                for parameters in request.response_parameters:
                    sleep_us(context, parameters.interval_us)
                    answered = True
                    yield pb.messages.StreamingOutputCallResponse(
                        payload=payload(parameters.size, context))
            if faulty and not answered:
                yield pb.messages.StreamingOutputCallResponse(payload=payload(0))

        def HalfDuplexCall(self, request_iterator, context):
            requests = list(request_iterator)
            for request in requests:
                finish_with(context, request.response_status)
                for parameters in request.response_parameters:
                    sleep_us(context, parameters.interval_us)
                    yield pb.messages.StreamingOutputCallResponse(
                        payload=payload(parameters.size))

        if faulty:
            def UnimplementedCall(self, request, context):
                return pb.empty.Empty()

    class UnimplementedService(pb.test_grpc.UnimplementedServiceServicer):
        def UnimplementedCall(self, request, context):
            return pb.empty.Empty()

    return TestService(), (UnimplementedService() if faulty else None)


def build_health_service(pb, service_names):
    ServingStatus = pb.health.HealthCheckResponse.ServingStatus
    known = {""} | set(service_names)

    class Health(pb.health_grpc.HealthServicer):
        def Check(self, request, context):
            if request.service not in known:
                context.abort(grpc.StatusCode.NOT_FOUND, f"unknown service {request.service}")
            return pb.health.HealthCheckResponse(status=ServingStatus.SERVING)

        def Watch(self, request, context):
            status = ServingStatus.SERVING if request.service in known else ServingStatus.SERVICE_UNKNOWN
            yield pb.health.HealthCheckResponse(status=status)
            while context.is_active():
                time.sleep(0.05)

    return Health()


def build_reflection_service(pb, service_names):
    from google.protobuf import descriptor_pb2, descriptor_pool

    pool = descriptor_pool.Default()

    def with_dependencies(file_descriptor):
        ordered, seen, pending = [], set(), [file_descriptor]
        while pending:
            current = pending.pop(0)
            if current.name in seen:
                continue
            seen.add(current.name)
            ordered.append(current)
            pending.extend(current.dependencies)
        serialized = []
        for item in ordered:
            proto = descriptor_pb2.FileDescriptorProto()
            item.CopyToProto(proto)
            serialized.append(proto.SerializeToString())
        return serialized

    class Reflection(pb.reflection_grpc.ServerReflectionServicer):
        def ServerReflectionInfo(self, request_iterator, context):
            r = pb.reflection
            for request in request_iterator:
                kind = request.WhichOneof("message_request")
                response = r.ServerReflectionResponse(
                    valid_host=request.host, original_request=request)
                try:
                    if kind == "list_services":
                        response.list_services_response.service.extend(
                            r.ServiceResponse(name=name) for name in service_names)
                    elif kind == "file_by_filename":
                        response.file_descriptor_response.file_descriptor_proto.extend(
                            with_dependencies(pool.FindFileByName(request.file_by_filename)))
                    elif kind == "file_containing_symbol":
                        found = pool.FindFileContainingSymbol(request.file_containing_symbol)
                        response.file_descriptor_response.file_descriptor_proto.extend(
                            with_dependencies(found))
                    else:
                        response.error_response.error_code = grpc.StatusCode.UNIMPLEMENTED.value[0]
                        response.error_response.error_message = f"{kind} is not supported"
                except KeyError as error:
                    response.error_response.error_code = grpc.StatusCode.NOT_FOUND.value[0]
                    response.error_response.error_message = str(error)
                yield response

    return Reflection()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--uds")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--cert-chain")
    parser.add_argument("--private-key")
    parser.add_argument("--stubs", help="directory with generated stubs (generated if absent)")
    parser.add_argument("--faulty", action="store_true")
    args = parser.parse_args(argv)

    stubs_dir = Path(args.stubs) if args.stubs else interop_stubs.generate(
        Path(tempfile.mkdtemp(prefix="interop-stubs-")))
    pb = interop_stubs.load(stubs_dir)

    # The same limits as our server's defaults, so tests of those limits can be checked
    # against this server too.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=160), options=[
        ("grpc.so_reuseport", 0),
        ("grpc.max_concurrent_streams", 100),
        ("grpc.max_metadata_size", 16 * 1024),
        ("grpc.absolute_max_metadata_size", 16 * 1024),
    ])
    test_service, unimplemented_service = build_test_service(pb, args.faulty)
    pb.test_grpc.add_TestServiceServicer_to_server(test_service, server)
    if unimplemented_service is not None:
        pb.test_grpc.add_UnimplementedServiceServicer_to_server(unimplemented_service, server)
    class Echo(pb.echo_grpc.EchoServicer):
        def Unary(self, request, context):
            return request

        def ServerStream(self, request, context):
            # The same limits as ours (RPCInterop.EchoService).
            if request.message_count > 1_000_000 or request.payload_size > 4 * 1024 * 1024:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "request too large")
            message = pb.echo.EchoMessage(payload=bytes(request.payload_size))
            for _ in range(request.message_count):
                yield message

    pb.echo_grpc.add_EchoServicer_to_server(Echo(), server)
    service_names = [
        "grpc.testing.TestService",
        "sessiongw.benchmark.v1.Echo",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
    ]
    pb.health_grpc.add_HealthServicer_to_server(build_health_service(pb, service_names), server)
    pb.reflection_grpc.add_ServerReflectionServicer_to_server(
        build_reflection_service(pb, service_names), server)

    addresses = []
    if args.tls:
        if not (args.cert_chain and args.private_key):
            parser.error("--tls needs --cert-chain and --private-key")
        credentials = grpc.ssl_server_credentials(
            [(Path(args.private_key).read_bytes(), Path(args.cert_chain).read_bytes())])
        port = server.add_secure_port(f"{args.host}:{args.port}", credentials)
        addresses.append(f"h2://{args.host}:{port}")
    else:
        port = server.add_insecure_port(f"{args.host}:{args.port}")
        addresses.append(f"h2c://{args.host}:{port}")
    if args.uds:
        server.add_insecure_port(f"unix:{args.uds}")
        addresses.append(f"unix:{args.uds}")

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    for address in addresses:
        print(f"listening on {address}", flush=True)
    while not stop.wait(0.5):
        pass
    server.stop(grace=5).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
