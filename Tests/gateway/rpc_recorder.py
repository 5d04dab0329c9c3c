"""Keeps every gRPC answer the gateway tests receive, for scripts/check-secrets.sh.

With SESSIONGW_TEST_LOG_DIR set, `install()` makes every channel the tests open record
each response message (serialized) and each error's status details into
$SESSIONGW_TEST_LOG_DIR/rpc-responses.bin, so that the whole run's answers can be
searched for the test secrets' values afterwards. Calls behave exactly as without it.
"""
import os
import threading

import grpc

_lock = threading.Lock()


def _record(path, data):
    with _lock, open(path, "ab") as handle:
        handle.write(data + b"\n")


def _record_message(path, message):
    serialize = getattr(message, "SerializeToString", None)
    _record(path, serialize() if serialize else repr(message).encode())


class _RecordedStream:
    """A response stream that records each message as it is read; everything else
    (cancel, code, details, ...) is the underlying call's."""

    def __init__(self, call, path):
        self._call = call
        self._path = path

    def __iter__(self):
        return self

    def __next__(self):
        try:
            message = next(self._call)
        except grpc.RpcError as error:
            _record(self._path, str(error.details() or "").encode())
            raise
        _record_message(self._path, message)
        return message

    def __getattr__(self, name):
        return getattr(self._call, name)


class _Recorder(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    def __init__(self, path):
        self._path = path

    def intercept_unary_unary(self, continuation, client_call_details, request):
        outcome = continuation(client_call_details, request)
        error = outcome.exception()
        if error is not None:
            _record(self._path, str(outcome.details() or "").encode())
        else:
            _record_message(self._path, outcome.result())
        return outcome

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return _RecordedStream(continuation(client_call_details, request), self._path)


def install():
    """Wraps grpc.insecure_channel and grpc.secure_channel when SESSIONGW_TEST_LOG_DIR is set."""
    directory = os.environ.get("SESSIONGW_TEST_LOG_DIR")
    if not directory or getattr(grpc, "_sessiongw_recording", False):
        return
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "rpc-responses.bin")
    recorder = _Recorder(path)
    for name in ("insecure_channel", "secure_channel"):
        original = getattr(grpc, name)

        def opener(*args, _original=original, **kwargs):
            return grpc.intercept_channel(_original(*args, **kwargs), recorder)

        setattr(grpc, name, opener)
    grpc._sessiongw_recording = True
