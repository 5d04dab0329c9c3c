"""Starting and stopping the servers under test, and a throwaway TLS certificate."""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from interop_stubs import REPO_ROOT
import testkit

INTEROP_DIR = Path(__file__).resolve().parent
LISTENING = re.compile(r"listening on (\S+)")


def bin_dir() -> Path:
    """Where the release binaries are: $SESSIONGW_BIN_DIR, default <repo>/.build/release."""
    return testkit.BIN_DIR


def binary(name: str) -> Path:
    path = bin_dir() / name
    if not os.access(path, os.X_OK):
        raise FileNotFoundError(
            f"{path} is missing: build it with `swift build -c release --product {name}` "
            f"or point SESSIONGW_BIN_DIR at the directory that holds it")
    return path


def server_implementation() -> str:
    """Which interop server the suites test: `ours` (default) or `python`.

    `SESSIONGW_INTEROP_SERVER=python` runs the server-side suites against the Python
    reference server in interop_server.py, to check the tests themselves.
    """
    value = os.environ.get("SESSIONGW_INTEROP_SERVER", "ours")
    if value not in ("ours", "python"):
        raise ValueError(f"SESSIONGW_INTEROP_SERVER must be `ours` or `python`, not {value!r}")
    return value


def interop_server_command(implementation: str, stubs_dir: Path) -> list[str]:
    if implementation == "python":
        return [sys.executable, str(INTEROP_DIR / "interop_server.py"), "--stubs", str(stubs_dir)]
    return [str(binary("rpc-interop-server"))]


@dataclass
class Memory:
    rss_kib: int
    peak_kib: int


def memory_of(pid: int) -> Memory:
    """VmRSS and VmHWM (the peak RSS) of a process, from /proc/PID/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return Memory(rss_kib=fields["VmRSS"], peak_kib=fields["VmHWM"])


class ServerProcess(testkit.LoggedProcess):
    """A server started with `--port 0`, known by the addresses it prints."""

    def __init__(self, argv: list[str], log_path: Path, name: str):
        super().__init__(argv, log_path, name)
        self.terminated_by_test = False
        self.uds_path: Path | None = None

    @property
    def addresses(self) -> list[str]:
        """Every address the server printed a `listening on` line for."""
        return [match.group(1) for match in map(LISTENING.search, list(self.lines)) if match]

    def wait_listening(self, timeout: float = 30.0) -> str:
        """Waits for a `listening on` line with a TCP address; returns that address."""
        self.wait_for(r"listening on (?!unix)\S*:\d+/?(\s|$)", timeout)
        return self._tcp_address()

    def _tcp_address(self) -> str | None:
        for address in self.addresses:
            if not address.startswith("unix") and re.search(r":(\d+)/?$", address):
                return address
        return None

    @property
    def port(self) -> int:
        address = self._tcp_address()
        if address is None:
            raise LookupError(f"{self.name} printed no TCP address: {self.addresses}")
        return int(re.search(r":(\d+)/?$", address).group(1))

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def assert_alive(self, when: str = "") -> None:
        if not self.alive():
            raise AssertionError(
                f"{self.name} is not running{(' ' + when) if when else ''}: exit status "
                f"{describe_exit(self.process.returncode)}\n" + self.log_tail())

    def memory(self) -> Memory:
        return memory_of(self.pid)

    def terminate(self) -> None:
        """Sends SIGTERM, as a test step (the end-of-module check then expects exit 0)."""
        self.terminated_by_test = True
        self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, then waits; SIGKILL and raises if it does not exit in time."""
        code = super().stop(timeout)
        if code is None:
            raise AssertionError(f"{self.name} did not exit within {timeout}s of SIGTERM\n" + self.log_tail())
        return code


def describe(result: subprocess.CompletedProcess) -> str:
    """A finished command's line, exit status and output, for a failure message."""
    return (f"$ {' '.join(str(part) for part in result.args)}\nexit status {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return str(code)


def wait_for_unix_socket(path: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(str(path))
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing accepts connections on {path}")
            time.sleep(0.05)


free_port = testkit.free_port


@dataclass
class TLSMaterial:
    ca_cert: Path
    server_cert_chain: Path
    server_key: Path
    server_name: str = "localhost"


def make_tls_material(directory: Path) -> TLSMaterial:
    """A throwaway CA and a server certificate for localhost and 127.0.0.1 it signed."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    valid_from, valid_to = now - datetime.timedelta(days=1), now + datetime.timedelta(days=7)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sessiongw test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(valid_from).not_valid_after(valid_to)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(valid_from).not_valid_after(valid_to)
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    material = TLSMaterial(
        ca_cert=directory / "ca.pem",
        server_cert_chain=directory / "server-chain.pem",
        server_key=directory / "server-key.pem",
    )
    material.ca_cert.write_bytes(ca_cert.public_bytes(pem))
    material.server_cert_chain.write_bytes(server_cert.public_bytes(pem) + ca_cert.public_bytes(pem))
    material.server_key.write_bytes(server_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return material


def secure_channel(target: str, tls: TLSMaterial, options=()):
    """A grpcio channel that trusts only the test CA and expects its server name."""
    import grpc

    credentials = grpc.ssl_channel_credentials(root_certificates=tls.ca_cert.read_bytes())
    return grpc.secure_channel(
        target, credentials,
        options=[("grpc.ssl_target_name_override", tls.server_name), *options])
