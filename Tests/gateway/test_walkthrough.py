"""The README's CLI walk-through works as written against a real gateway."""
import os
import subprocess

from gateway_procs import BIN_DIR, ROOT


def test_cli_walkthrough(gateway):
    environment = dict(os.environ, SESSIONGW_TOKEN=gateway.token, SESSIONGW_ADDRESS=gateway.address,
                       SESSIONGW=os.path.join(BIN_DIR, "sessiongw"))
    result = subprocess.run(
        ["bash", os.path.join(ROOT, "examples", "walkthrough.sh")], env=environment, capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{gateway.tail()}"
    assert "the read-only link refused the write" in result.stdout
    assert "files intact after pause and resume" in result.stdout
    assert "walk-through complete" in result.stdout
