"""The simulated terminal: one process-wide instance behind the stand-in
MetaTrader5 module. Reads its scenario and knobs from the environment:

  RAWJOURNAL_SIM_SCENARIO       path, or a name in mt5/scenarios (default: demo)
  RAWJOURNAL_SIM_START          override the scenario start (ISO UTC, epoch, "now")
  RAWJOURNAL_SIM_SPEED          simulated seconds per real second (0 = frozen)
  RAWJOURNAL_SIM_CLOCK_FILE     file holding the simulated seconds since the start
  RAWJOURNAL_SIM_LATENCY_SCALE  multiply every login latency (default 1)
  RAWJOURNAL_SIM_CRASH          JSON {"mode": "exit"|"ipc"|"hang", "after_calls": N, "at": "90s"}
  RAWJOURNAL_SIM_CALL_LOG       append the name of every API function called (tests)
  RAWJOURNAL_SIM_STATE_FILE     remembers a "now" start across bridge restarts
"""
from __future__ import annotations

import json
import os
import sys
import time as _time

from . import constants as C
from .account import Account, ScenarioError
from .clock import SimClock, env_float, offset_function, parse_offset, parse_start
from .market import (PriceModel, TIMEFRAME_SECONDS, bar_start, bar_times, last_open_server_time,
                     make_bar, market_open)
from .symbols import resolve

SCENARIO_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                            "scenarios")
OK = (C.RES_S_OK, "Success")


class Crash(Exception):
    pass


def scenario_path(name: str) -> str:
    if os.sep in name or "/" in name or name.endswith(".json"):
        return name
    return os.path.join(SCENARIO_DIR, name + ".json")


class Terminal:
    def __init__(self):
        path = scenario_path(os.environ.get("RAWJOURNAL_SIM_SCENARIO") or "demo")
        with open(path, "r", encoding="utf-8") as fh:
            self.spec = json.load(fh)
        spec = self.spec
        start_spec = os.environ.get("RAWJOURNAL_SIM_START") or spec.get("start", "now")
        start = self._resolve_start(start_spec)
        speed = env_float("RAWJOURNAL_SIM_SPEED", float(spec.get("speed", 1.0)))
        self.clock = SimClock(start, speed, os.environ.get("RAWJOURNAL_SIM_CLOCK_FILE") or None,
                              wall_anchor=start if start_spec in (None, "now") else None)
        self.latency_scale = env_float("RAWJOURNAL_SIM_LATENCY_SCALE", 1.0)
        self.latency = {"initialize": 100, "same_server": 20, "switch_server": 300}
        self.latency.update(spec.get("latency_ms", {}))
        self.servers = spec.get("servers", {})
        self.symbols = resolve(spec.get("symbols"))
        self._models: dict = {}
        self.accounts = {}
        for acct in spec.get("accounts", []):
            if acct.get("server") not in self.servers:
                raise ScenarioError(f"account {acct.get('login')}: unknown server {acct.get('server')!r}")
            a = Account(acct, self)
            self.accounts[(a.login, a.server)] = a
        crash = spec.get("crash")
        if os.environ.get("RAWJOURNAL_SIM_CRASH"):
            crash = json.loads(os.environ["RAWJOURNAL_SIM_CRASH"])
        self.crash = crash or None
        self.call_log = os.environ.get("RAWJOURNAL_SIM_CALL_LOG") or None
        term = spec.get("terminal", {})
        self.build = int(term.get("build", 4755))
        self.maxbars = int(term.get("maxbars", 100000))
        self.calls = 0
        self.crashed = False
        self.initialized = False
        self.current = None  # logged-in Account
        self.current_server = None
        self.trade_allowed = False
        self.error = OK

    @staticmethod
    def _resolve_start(value):
        """With RAWJOURNAL_SIM_STATE_FILE, a "now" start is fixed the first time
        and reused by every later bridge process, so that a restarted bridge
        (terminal restarts, crashes) shows the same world, same deal tickets."""
        state_file = os.environ.get("RAWJOURNAL_SIM_STATE_FILE")
        if value not in (None, "now") or not state_file:
            return parse_start(value)
        try:
            with open(state_file, "r", encoding="utf-8") as fh:
                return float(json.load(fh)["start"])
        except (OSError, ValueError, KeyError, TypeError):
            start = parse_start("now")
            tmp = state_file + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump({"start": start}, fh)
            os.replace(tmp, state_file)
            return start

    # ---- plumbing ------------------------------------------------------------------
    def model(self, name: str) -> PriceModel:
        m = self._models.get(name)
        if m is None:
            s = self.symbols[name]
            m = PriceModel(name, float(s["base_price"]), int(s["digits"]), float(s.get("volatility", 1.0)),
                           bool(s.get("always_open", False)))
            self._models[name] = m
        return m

    def enter(self, name: str) -> bool:
        """Called at the top of every API function; False if the terminal is gone."""
        self.calls += 1
        if self.call_log:
            with open(self.call_log, "a", encoding="utf-8") as fh:
                fh.write(name + "\n")
        if self.crashed:
            self.error = (C.RES_E_INTERNAL_FAIL_CONNECT, "No IPC connection")
            return False
        if self.crash and self._crash_due():
            mode = self.crash.get("mode", "exit")
            sys.stderr.write(f"simulator: terminal crash ({mode}) at call {self.calls} ({name})\n")
            sys.stderr.flush()
            if mode == "exit":
                os._exit(int(self.crash.get("exit_code", 134)))
            if mode == "hang":
                while True:
                    _time.sleep(3600)
            self.crashed = True
            self.initialized = False
            self.current = None
            self.error = (C.RES_E_INTERNAL_FAIL_RECEIVE, "IPC recv failed")
            return False
        return True

    def _crash_due(self) -> bool:
        after = self.crash.get("after_calls")
        if after is not None and self.calls > int(after):
            return True
        at = self.crash.get("at")
        return at is not None and self.clock.elapsed() >= parse_offset(at)

    def ok(self, value):
        self.error = OK
        return value

    def fail(self, code: int, message: str, value=None):
        self.error = (code, message)
        return value

    def sync(self):
        if self.current is not None:
            self.current.advance(self.clock.elapsed())

    def now_server(self) -> float:
        return self.current.server_time(self.clock.now_utc())

    # ---- session -------------------------------------------------------------------
    def login(self, login, password, server, timeout_ms, initializing: bool) -> bool:
        latency = self.latency["initialize"] if initializing else 0
        server_spec = self.servers.get(server) or {}
        lat = server_spec.get("latency_ms", self.latency)
        same = self.current_server == server
        latency += lat.get("same_server", self.latency["same_server"]) if same else \
            lat.get("switch_server", self.latency["switch_server"])
        latency *= self.latency_scale
        timeout = float(timeout_ms if timeout_ms is not None else 60000)
        self.current = None
        self.trade_allowed = False
        if server_spec.get("unreachable") or latency > timeout:
            _time.sleep(min(timeout, latency if not server_spec.get("unreachable") else timeout) / 1000.0)
            self.current_server = None
            return self.fail(C.RES_E_INTERNAL_FAIL_TIMEOUT, "IPC timeout", False)
        _time.sleep(latency / 1000.0)
        account = self.accounts.get((int(login), server))
        self.current_server = server if server in self.servers else None
        if account is None or password not in (account.investor_password, account.master_password) \
                or not password:
            return self.fail(C.RES_E_AUTH_FAILED, "Terminal: Authorization failed", False)
        self.current = account
        self.trade_allowed = password == account.master_password
        self.sync()
        return self.ok(True)

    # ---- rates -----------------------------------------------------------------------
    def rates(self, symbol: str, timeframe: int, t_from=None, t_to=None, count=None, start_pos=0):
        if symbol not in self.symbols:
            return None
        tf_name = next((n for n in TIMEFRAME_SECONDS if getattr(C, "TIMEFRAME_" + n) == timeframe), None)
        if tf_name is None:
            return None
        tf = TIMEFRAME_SECONDS[tf_name]
        account = self.current
        now = self.now_server()
        # offset at a server instant (evaluating it at the server time is exact
        # except within the hour of a clock change)
        zone_offset = offset_function(account.zone)
        offset_of = lambda server_t: (server_t + zone_offset(server_t)) - server_t  # noqa: E731  (= account.server_time(t) - t)
        spread = int(self.symbols[symbol]["spread"])
        model = self.model(symbol)
        current_bar = bar_start(now, tf)
        if count is not None:
            times = []
            t = current_bar
            while len(times) < start_pos + count and t > now - 20 * 365 * 86400:
                if tf == 7 * 86400 or market_open(t, model.always_open):
                    times.append(t)
                t -= tf
            times = list(reversed(times[start_pos:start_pos + count]))
        else:
            times = list(bar_times(t_from, min(t_to, current_bar), tf, model.always_open))
            if len(times) > self.maxbars:
                times = times[-self.maxbars:]
        out = []
        for t in times:
            bar = make_bar(model, spread, t, tf, offset_of, now)
            if bar is not None:
                out.append(bar)
        return out

    def tick_time(self, symbol: str | None = None) -> float:
        now = self.now_server()
        if symbol is not None and self.model(symbol).always_open:
            return now
        return last_open_server_time(now) if not market_open(now) else now

    def symbol_open(self, symbol: str, utc: float) -> bool:
        """Whether `symbol` trades at that UTC instant on the current account's server clock."""
        return market_open(self.current.server_time(utc), self.model(symbol).always_open)


TERMINAL = None


def terminal() -> Terminal:
    global TERMINAL
    if TERMINAL is None:
        TERMINAL = Terminal()
    return TERMINAL
