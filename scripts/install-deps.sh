#!/usr/bin/env bash
# Installs what the project needs, idempotently: only what is missing is installed.
# Usage: scripts/install-deps.sh [build|test|bench|slurm|aws]...   (default: build)
#   build  C libraries and code generators the Swift build needs, and bubblewrap (the
#          Local backend's sandbox, which the embedded default runs sessions in)
#   test   adds the real peers the tests use (Python grpcio, h2, grpc-go from Debian), btrfs-progs
#          (growing Local homes), python3-venv (custom environments), headless
#          Chromium (the browser tests, driven over DevTools with websocket-client) and pytest
#   bench  adds h2load, gRPC C++ (libgrpc++-dev, protobuf-compiler-grpc) for the C++ echo
#          server the transport benchmark compares with, and valgrind for its profile
#   slurm  a single-node Slurm cluster for the Slurm backend's tests (scripts/slurm-cluster.sh)
#   aws    moto in server mode and botocore for the AWS Batch backend's tests (scripts/moto-server.sh)
#   kube   the Kubernetes API emulator's parts: kubernetes-validate, openssl (scripts/kube-api-server.sh)
#   jupyter  JupyterLab (PyPI) in a virtual environment of the system's Python at
#          /opt/sessiongw/jupyterlab, where sessions see it (the Local sandbox shows /opt):
#          the embedded default's JupyterLab preset runs it
set -euo pipefail
groups=("${@:-build}")

apt_packages=(libnghttp2-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler pkg-config bubblewrap util-linux)
pip_packages=()
jupyter=""
for group in "${groups[@]}"; do
  case "$group" in
    build) ;;
    test) apt_packages+=(openssl curl golang-go golang-google-grpc-dev chromium btrfs-progs python3-venv); pip_packages+=(grpcio grpcio-tools h2 pytest pytest-timeout cryptography websocket-client) ;;
    bench) apt_packages+=(nghttp2-client libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler g++ make pkg-config valgrind) ;;
    slurm) apt_packages+=(slurm-wlm slurmrestd munge util-linux tar python3 curl) ;;
    aws) apt_packages+=(util-linux tar curl python3); pip_packages+=("moto[server]" botocore boto3) ;;
    kube) apt_packages+=(util-linux openssl tar python3); pip_packages+=(kubernetes-validate jsonschema pyyaml) ;;
    jupyter) apt_packages+=(python3 python3-venv); jupyter=1 ;;
    *) echo "unknown group: $group" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
fi

if [ ${#pip_packages[@]} -gt 0 ]; then
  python3 - "${pip_packages[@]}" <<'PY' || python3 -m pip install -q --disable-pip-version-check "${pip_packages[@]}"
import importlib.util, sys
names = {"grpcio": "grpc", "grpcio-tools": "grpc_tools", "h2": "h2", "pytest": "pytest",
         "pytest-timeout": "pytest_timeout", "cryptography": "cryptography",
         "moto[server]": "flask_cors", "botocore": "botocore", "boto3": "boto3",
         "kubernetes-validate": "kubernetes_validate", "pyyaml": "yaml", "websocket-client": "websocket"}
missing = [p for p in sys.argv[1:] if importlib.util.find_spec(names.get(p, p)) is None]
# moto[server] needs moto itself as well as its server extras (flask, flask_cors).
if "moto[server]" in sys.argv[1:] and importlib.util.find_spec("moto") is None:
    missing.append("moto")
sys.exit(1 if missing else 0)
PY
fi

# JupyterLab for sessions: a virtual environment of the system's Python (the one sessions
# run), in a system directory their sandbox shows.
if [ -n "$jupyter" ]; then
  venv=/opt/sessiongw/jupyterlab
  if ! "$venv/bin/python" -c 'import jupyterlab, jupyter_server' 2>/dev/null; then
    sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" mkdir -p /opt/sessiongw
    "${sudo_cmd[@]}" /usr/bin/python3 -m venv "$venv"
    "${sudo_cmd[@]}" "$venv/bin/python" -m pip install -q --disable-pip-version-check jupyterlab
    echo "installed: jupyterlab in $venv"
  fi
fi
