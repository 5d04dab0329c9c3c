"""The embedded default's JupyterLab preset in headless Chromium, through the connection
proxy: the link opens JupyterLab, a notebook runs a cell and shows its output; the
session panel then lists that notebook's kernel; shutting it down from the panel ends
it in JupyterLab too. Chromium is driven over the DevTools protocol, as a person's
clicks and keys would be."""
import glob
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import grpc
import pytest
import websocket

from gateway_procs import Gateway, free_port

NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
               "source": ["print('sum', 6 * 7)"]}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


class Browser:
    """Headless Chromium with a DevTools connection to its one page."""

    def __init__(self, work):
        port = free_port()
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            pytest.fail("headless Chromium is not installed (scripts/install-deps.sh test installs Debian's chromium)")
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1280,900",
             f"--remote-debugging-port={port}", f"--user-data-dir={os.path.join(work, 'profile')}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as response:
                    pages = [p for p in json.load(response) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "Chromium's DevTools did not answer"
            time.sleep(0.2)
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                assert "error" not in message, f"{method}: {message['error']}"
                return message.get("result", {})

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression, what, timeout=90):
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                body = self.evaluate("document.body ? document.body.innerText.slice(0, 500) : ''")
                raise AssertionError(f"{what} did not happen within {timeout} s; the page shows: {body!r}")
            time.sleep(0.25)

    def press(self, key, code, key_code, modifiers=0, text=""):
        """A key press as a keyboard makes one: the key down, its character, the key up."""
        self.call("Input.dispatchKeyEvent", type="rawKeyDown", key=key, code=code, windowsVirtualKeyCode=key_code,
                  modifiers=modifiers)
        if text:
            self.call("Input.dispatchKeyEvent", type="char", key=key, code=code, text=text, modifiers=modifiers)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=key_code,
                  modifiers=modifiers)

    def close(self):
        self.socket.close()
        self.process.kill()
        self.process.wait()


@pytest.fixture
def lab(api):
    work = tempfile.mkdtemp(prefix="sessiongw-lab-")
    config = os.path.join(work, "config.yaml")
    with open(config, "w") as handle:
        handle.write(f"connect:\n  listen: 127.0.0.1:{free_port()}\n")
    os.makedirs(os.path.join(work, "data"))
    gateway = Gateway(data_dir=os.path.join(work, "data"), config=config).start()
    channel = grpc.insecure_channel(gateway.address)
    browser = Browser(work)
    yield gateway, channel, browser
    browser.close()
    channel.close()
    gateway.stop()
    gateway.kill_session_processes()
    shutil.rmtree(work, ignore_errors=True)


def test_jupyterlab_runs_a_cell_through_the_proxy_and_the_panel_ends_its_kernel(api, lab):
    gateway, channel, browser = lab
    admin = [("authorization", f"Bearer {gateway.token}")]
    sessions = api["session_service_grpc"].SessionServiceStub(channel)
    types, pb = api["types"], api["session_service"]
    created = sessions.CreateSession(pb.CreateSessionRequest(
        name="lab", spec=types.SessionSpec(preset="jupyterlab", image="python3", compute_environment="local")),
        metadata=admin, timeout=30)
    deadline = time.monotonic() + 120
    while (session := sessions.GetSession(pb.GetSessionRequest(session_id=created.id), metadata=admin,
                                          timeout=30)).state != types.SESSION_STATE_RUNNING:
        assert session.state != types.SESSION_STATE_FAILED, session.state_reason
        assert time.monotonic() < deadline, f"JupyterLab did not start: {session.state_reason}"
        time.sleep(0.3)
    # The notebook, in the session's home (its Local directory on this machine), owned
    # like the rest of the home.
    home = glob.glob(os.path.join(gateway.data_dir, "environments", "*", "local", "sessions", created.id, "home"))[0]
    notebook = os.path.join(home, "check.ipynb")
    with open(notebook, "w") as handle:
        json.dump(NOTEBOOK, handle)
    owner = os.stat(home)
    os.chown(notebook, owner.st_uid, owner.st_gid)
    link = sessions.GetSessionConnection(pb.GetSessionConnectionRequest(session_id=created.id), metadata=admin,
                                         timeout=30).url
    assert link.startswith(gateway.proxy_url), link
    base, _, query = link.partition("?")
    browser.call("Page.enable")
    # A headless page never has the window's focus; keys go to it as to a focused window.
    browser.call("Emulation.setFocusEmulationEnabled", enabled=True)
    browser.call("Page.navigate", url=f"{base}lab/tree/check.ipynb?{query}")
    # JupyterLab is up, the notebook open and its kernel idle.
    browser.wait_for("!!document.querySelector('.jp-Notebook .jp-Cell')", "the notebook opening in JupyterLab")
    browser.wait_for("document.querySelector('.jp-Notebook .jp-Cell .cm-content') !== null", "the cell's editor")
    browser.wait_for(
        "[...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => /\\| Idle/.test(e.innerText))",
        "the notebook's kernel becoming idle")
    # Select the cell and run it as a person would: a click, then Shift+Enter; again if
    # the first keys came before the kernel's connection was ready (as a person would).
    output = None
    for _ in range(3):
        box = browser.evaluate(
            "(() => { const r = document.querySelector('.jp-Notebook .jp-Cell .cm-content').getBoundingClientRect();"
            " return [r.x + 10, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            browser.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
        browser.wait_for("(document.activeElement || {}).className === 'cm-content'", "the cell's editor taking the focus")
        browser.press("Enter", "Enter", 13, modifiers=8, text="\r")
        try:
            output = browser.wait_for(
                "(document.querySelector('.jp-Notebook .jp-OutputArea-output') || {}).innerText", "the cell's output",
                timeout=20)
            break
        except AssertionError:
            continue
    assert output is not None, "three runs of the cell showed no output"
    assert output.strip() == "sum 42"

    # The panel lists the notebook's kernel, by its notebook.
    activities = api["activity_service_grpc"].ActivityServiceStub(channel)
    panel = api["activity_service"]
    listed = activities.ListSessionActivities(panel.ListSessionActivitiesRequest(session_id=created.id),
                                              metadata=admin, timeout=30).activities
    kernels = [a for a in listed if a.kind == panel.ACTIVITY_KIND_NOTEBOOK_KERNEL]
    assert [k.name for k in kernels] == ["check.ipynb"], listed
    # Shutting it down from the panel ends it in JupyterLab: the notebook loses its kernel.
    activities.ShutdownActivity(panel.ShutdownActivityRequest(
        session_id=created.id, kind=panel.ACTIVITY_KIND_NOTEBOOK_KERNEL, id=kernels[0].id), metadata=admin, timeout=30)
    browser.wait_for(
        "[...document.querySelectorAll('.jp-Toolbar-kernelName, .jp-KernelName, [data-status]')]"
        ".some(e => /no kernel|dead|unknown/i.test(e.getAttribute('data-status') || e.textContent))",
        "JupyterLab showing the notebook without its kernel", timeout=60)
    remaining = activities.ListSessionActivities(panel.ListSessionActivitiesRequest(session_id=created.id),
                                                 metadata=admin, timeout=30).activities
    assert kernels[0].id not in [a.id for a in remaining]
