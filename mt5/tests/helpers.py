"""Spawn the real bridge (with the simulator) and talk JSON lines to it."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading

MT5_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BRIDGE = os.path.join(MT5_DIR, "bridge")
SCENARIOS = os.path.join(MT5_DIR, "scenarios")

HEDGING = {"login": 51000001, "password": "inv-51000001!", "server": "RawBroker-Demo", "timeout_ms": 10000}
HEDGING_2 = {"login": 51000002, "password": "inv-51000002!", "server": "RawBroker-Demo", "timeout_ms": 10000}
LIVE = {"login": 52000001, "password": "inv-52000001!", "server": "RawBroker-Live", "timeout_ms": 10000}
NETTING = {"login": 62000001, "password": "inv-62000001!", "server": "OtherBroker-Live", "timeout_ms": 10000}
ALL_PASSWORDS = ["inv-51000001!", "master-51000001!", "inv-51000002!", "inv-52000001!", "inv-62000001!",
                 "master-62000001!", "inv-73000001!", "wrong-pass-123"]
FAR_FUTURE = 4_000_000_000


class Bridge:
    def __init__(self, scenario="default", **env):
        full_env = dict(os.environ)
        full_env.update({"RAWJOURNAL_MT5_MODULE": "simulator", "RAWJOURNAL_SIM_SCENARIO": scenario,
                         "RAWJOURNAL_SIM_SPEED": "0", "PYTHONDONTWRITEBYTECODE": "1"})
        full_env.update({k: str(v) for k, v in env.items()})
        self.proc = subprocess.Popen([sys.executable, "-B", BRIDGE], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
        self.lines: queue.Queue = queue.Queue()
        self.stderr_chunks: list[bytes] = []
        self.stdout_raw: list[bytes] = []
        threading.Thread(target=self._pump_out, daemon=True).start()
        self._err_thread = threading.Thread(target=self._pump_err, daemon=True)
        self._err_thread.start()
        self._next = 0
        self.hello = self.read()

    def _pump_out(self):
        for line in self.proc.stdout:
            self.stdout_raw.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def _pump_err(self):
        for chunk in self.proc.stderr:
            self.stderr_chunks.append(chunk)

    def read(self, timeout=30):
        line = self.lines.get(timeout=timeout)
        if line is None:
            raise EOFError("bridge closed stdout")
        return json.loads(line)

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def request(self, method, params=None, timeout=60, **extra):
        self._next += 1
        req = {"id": self._next, "method": method}
        if params is not None:
            req["params"] = params
        req.update(extra)
        self.send_raw(json.dumps(req).encode() + b"\n")
        resp = self.read(timeout)
        if resp.get("id") != req["id"]:
            raise AssertionError(f"response {resp} does not answer {req['id']}")
        return resp

    def ok(self, method, params=None, timeout=60):
        resp = self.request(method, params, timeout)
        if not resp["ok"]:
            raise AssertionError(f"{method} failed: {resp['error']}")
        return resp["result"]

    def error(self, method, params=None, timeout=60):
        resp = self.request(method, params, timeout)
        if resp["ok"]:
            raise AssertionError(f"{method} unexpectedly succeeded")
        return resp["error"]

    def stderr(self) -> str:
        self._err_thread.join(timeout=5)
        return b"".join(self.stderr_chunks).decode("utf-8", "replace")

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def by(rows, **match):
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]
