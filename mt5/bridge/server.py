"""JSON-lines server: one request per stdin line, one response per stdout line.

stdout carries protocol lines only (a hello line, then one response per
request, in order); logs go to stderr and never contain a password.
See mt5/PROTOCOL.md.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time

from . import PROTOCOL_VERSION
from .loader import load_mt5
from .readonly import ReadOnlyMT5
from .serialize import build_enum_names, dec, rate_rows, record, records

EXIT_OK = 0
EXIT_NO_MODULE = 2
EXIT_TERMINAL_CRASHED = 3

TIMEFRAMES = ("M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1")
MAX_TIMEOUT_MS = 600_000


class BridgeError(Exception):
    def __init__(self, code: str, message: str, mt5_code=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.mt5_code = mt5_code


class Bridge:
    def __init__(self, mt5: ReadOnlyMT5, out=None, err=None):
        self.mt5 = mt5
        self.out = out or sys.stdout.buffer
        self.err = err or sys.stderr
        self.enums = build_enum_names(mt5)
        self.initialized = False
        self.session = None  # (login, server) after a successful, read-only login
        self.last_server = None
        self.secrets: set[str] = set()
        self.exit_code = None
        # the explicit allow-list of protocol methods: reads only
        self.methods = {
            "login": self.m_login,
            "account_info": self.m_account_info,
            "positions": self.m_positions,
            "deals": self.m_deals,
            "orders": self.m_orders,
            "symbol_info": self.m_symbol_info,
            "rates": self.m_rates,
            "server_time_offset": self.m_server_time_offset,
            "ping": self.m_ping,
            "shutdown": self.m_shutdown,
        }
        if mt5.simulator:
            self.methods["sim_advance"] = self.m_sim_advance
        self.now = mt5._rawjournal_utc_now if mt5.simulator else time.time

    # ---- output ------------------------------------------------------------------------
    def log(self, message: str) -> None:
        for secret in self.secrets:
            message = message.replace(secret, "***")
        self.err.write(f"mt5-bridge: {message}\n")
        self.err.flush()

    def write(self, obj) -> None:
        self.out.write(json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("ascii") + b"\n")
        self.out.flush()

    def hello(self) -> None:
        self.write({"id": None, "ok": True, "result": {
            "event": "hello", "bridge": "rawjournal-mt5", "protocol": PROTOCOL_VERSION,
            "simulator": self.mt5.simulator, "pid": os.getpid(), "methods": sorted(self.methods)}})

    # ---- errors ------------------------------------------------------------------------
    def mt5_error(self, what: str) -> BridgeError:
        code, text = self._last_error()
        C = self.mt5.const
        if code == C("RES_E_AUTH_FAILED", -6):
            kind = "auth_failed"
        elif code == C("RES_E_INTERNAL_FAIL_TIMEOUT", -10005):
            kind = "timeout"
        elif code in (C("RES_E_INTERNAL_FAIL_SEND", -10001), C("RES_E_INTERNAL_FAIL_RECEIVE", -10002),
                      C("RES_E_INTERNAL_FAIL_INIT", -10003), C("RES_E_INTERNAL_FAIL_CONNECT", -10004)):
            kind = "terminal_crashed"
        elif code == C("RES_E_INVALID_PARAMS", -2):
            kind = "invalid_params"
        elif code == C("RES_E_NOT_FOUND", -4):
            kind = "not_found"
        else:
            kind = "internal"
        return BridgeError(kind, f"{what} failed: {text}", code)

    def _last_error(self):
        try:
            code, text = self.mt5.last_error()
            return int(code), str(text)
        except Exception:  # noqa: BLE001 - a dead terminal may not even answer this
            return None, "no answer from the terminal"

    def call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BridgeError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise BridgeError("internal", f"{what} raised {type(exc).__name__}: {exc}") from None

    # ---- parameters --------------------------------------------------------------------
    @staticmethod
    def _int(params, name, required=True, minimum=None):
        value = params.get(name)
        if value is None:
            if required:
                raise BridgeError("invalid_params", f"{name} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str, float)):
            raise BridgeError("invalid_params", f"{name} must be an integer")
        try:
            number = int(value)
            if isinstance(value, float) and number != value:
                raise ValueError
        except ValueError:
            raise BridgeError("invalid_params", f"{name} must be an integer") from None
        if minimum is not None and number < minimum:
            raise BridgeError("invalid_params", f"{name} must be >= {minimum}")
        return number

    @staticmethod
    def _str(params, name, required=True):
        value = params.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            raise BridgeError("invalid_params", f"{name} must be a non-empty string")
        return value

    def require_session(self):
        if self.session is None:
            raise BridgeError("not_logged_in", "login first")

    # ---- methods -----------------------------------------------------------------------
    def m_login(self, p):
        login = self._int(p, "login", minimum=1)
        password = p.get("password")
        if not isinstance(password, str) or not password:
            raise BridgeError("invalid_params", "password must be a non-empty string")
        self.secrets.add(password)
        server = self._str(p, "server")
        timeout = self._int(p, "timeout_ms", required=False, minimum=1) or 60_000
        timeout = min(timeout, MAX_TIMEOUT_MS)
        previous = self.session[1] if self.session else self.last_server
        self.session = None
        started = time.monotonic()
        first = not self.initialized
        if first:
            path = os.environ.get("RAWJOURNAL_MT5_TERMINAL_PATH")
            args = (path,) if path else ()
            ok = self.call("initialize", self.mt5.initialize, *args, login=login, password=password,
                           server=server, timeout=timeout)
        else:
            ok = self.call("login", self.mt5.login, login, password=password, server=server, timeout=timeout)
        elapsed_ms = round((time.monotonic() - started) * 1000)
        if not ok:
            error = self.mt5_error("initialize" if first else "login")
            if first:
                self.call("shutdown", self.mt5.shutdown)
            else:
                self.last_server = None
            self.log(f"login {login}@{server} refused: {error.code} ({error.mt5_code}) in {elapsed_ms} ms")
            raise error
        self.initialized = True
        self.last_server = server
        info = self.call("account_info", self.mt5.account_info)
        if info is None:
            raise self.mt5_error("account_info")
        if int(info.login) != login:
            raise BridgeError("internal", f"terminal reports account {info.login}, not {login}")
        if info.trade_allowed:
            # a master password: this session could trade. Drop it.
            self.call("shutdown", self.mt5.shutdown)
            self.initialized = False
            self.last_server = None
            self.log(f"login {login}@{server} refused: trading allowed (master password)")
            raise BridgeError("trade_allowed", "this password allows trading; give the investor (read-only) password")
        self.session = (login, server)
        account = record(info, self.enums["account"])
        self.log(f"login {login}@{server} ok in {elapsed_ms} ms")
        return {
            "login": login, "server": server, "elapsed_ms": elapsed_ms, "initialized": first,
            "switched_server": previous is not None and previous != server,
            "trade_allowed": False, "currency": account.get("currency"), "company": account.get("company"),
            "name": account.get("name"), "trade_mode": account.get("trade_mode"),
            "trade_mode_name": account.get("trade_mode_name"), "margin_mode": account.get("margin_mode"),
            "margin_mode_name": account.get("margin_mode_name"),
        }

    def m_account_info(self, p):
        self.require_session()
        info = self.call("account_info", self.mt5.account_info)
        if info is None:
            raise self.mt5_error("account_info")
        return record(info, self.enums["account"])

    def m_positions(self, p):
        self.require_session()
        symbol = self._str(p, "symbol", required=False)
        rows = self.call("positions_get", self.mt5.positions_get, **({"symbol": symbol} if symbol else {}))
        if rows is None:
            if self._last_error()[0] == self.mt5.const("RES_S_OK", 1):
                return []  # some builds answer None + "Success" when there is nothing
            raise self.mt5_error("positions_get")
        return records(rows, self.enums["position"])

    def _history(self, p, name, fn, enums):
        self.require_session()
        position = self._int(p, "position", required=False)
        if position is not None:
            rows = self.call(name, fn, position=position)
        else:
            t_from = self._int(p, "from", required=True, minimum=0)
            t_to = self._int(p, "to", required=True, minimum=0)
            if t_to < t_from:
                raise BridgeError("invalid_params", "to must be >= from")
            group = self._str(p, "group", required=False)
            kwargs = {"group": group} if group else {}
            rows = self.call(name, fn, t_from, t_to, **kwargs)  # dates are positional in the real API
        if rows is None:
            code, _ = self._last_error()
            if code in (self.mt5.const("RES_S_OK", 1), self.mt5.const("RES_E_NOT_FOUND", -4)):
                return []
            raise self.mt5_error(name)
        return records(rows, enums)

    def m_deals(self, p):
        return self._history(p, "history_deals_get", self.mt5.history_deals_get, self.enums["deal"])

    def m_orders(self, p):
        return self._history(p, "history_orders_get", self.mt5.history_orders_get, self.enums["order"])

    def m_symbol_info(self, p):
        self.require_session()
        symbol = self._str(p, "symbol")
        info = self.call("symbol_info", self.mt5.symbol_info, symbol)
        if info is None:
            error = self.mt5_error("symbol_info")
            if error.code in ("internal", "invalid_params"):
                error.code = "not_found"
            raise error
        return record(info, self.enums["symbol"])

    def m_rates(self, p):
        self.require_session()
        symbol = self._str(p, "symbol")
        tf_name = p.get("timeframe")
        if tf_name not in TIMEFRAMES:
            raise BridgeError("invalid_params", f"timeframe must be one of {', '.join(TIMEFRAMES)}")
        timeframe = self.mt5.const("TIMEFRAME_" + tf_name)
        count = self._int(p, "count", required=False, minimum=1)
        if count is not None:
            rates = self.call("copy_rates_from_pos", self.mt5.copy_rates_from_pos, symbol, timeframe, 0, count)
        else:
            t_from = self._int(p, "from", minimum=0)
            t_to = self._int(p, "to", minimum=0)
            if t_to < t_from:
                raise BridgeError("invalid_params", "to must be >= from")
            rates = self.call("copy_rates_range", self.mt5.copy_rates_range, symbol, timeframe, t_from, t_to)
        if rates is None:
            if self.call("symbol_info", self.mt5.symbol_info, symbol) is None:
                raise BridgeError("not_found", f"unknown symbol {symbol}", self._last_error()[0])
            raise self.mt5_error("copy_rates")
        return rate_rows(rates)

    def m_server_time_offset(self, p):
        self.require_session()
        symbol = self._str(p, "symbol", required=False)
        candidates = [symbol] if symbol else ["EURUSD"]
        if not symbol:
            more = self.call("symbols_get", self.mt5.symbols_get, group="*EURUSD*,*GBPUSD*,*USDJPY*") or ()
            candidates += [s.name for s in more if s.name != "EURUSD"][:5]
        for name in candidates:
            tick = self.call("symbol_info_tick", self.mt5.symbol_info_tick, name)
            if tick is None or not tick.time:
                continue
            now = self.now()
            raw = int(tick.time) - now
            offset = int(round(raw / 1800.0) * 1800)
            return {"offset_seconds": offset, "offset_minutes": offset // 60, "symbol": name,
                    "tick_time": int(tick.time), "utc_now": int(now), "residual_seconds": round(raw - offset, 1)}
        raise BridgeError("not_found", f"no tick for {', '.join(candidates)}", self._last_error()[0])

    def m_ping(self, p):
        result = {"pong": True, "initialized": self.initialized,
                  "login": self.session[0] if self.session else None,
                  "server": self.session[1] if self.session else None}
        if self.initialized:
            info = self.call("terminal_info", self.mt5.terminal_info)
            if info is None:
                raise self.mt5_error("terminal_info")
            result["connected"] = bool(info.connected)
            result["build"] = int(info.build)
        return result

    def m_shutdown(self, p):
        self.close()
        self.exit_code = EXIT_OK
        return {"bye": True}

    def m_sim_advance(self, p):
        seconds = p.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise BridgeError("invalid_params", "seconds must be a number >= 0")
        elapsed = self.mt5._rawjournal_sim_advance(seconds)
        return {"elapsed": dec(elapsed), "utc_now": int(self.now())}

    # ---- loop --------------------------------------------------------------------------
    def close(self):
        if self.initialized:
            try:
                self.mt5.shutdown()
            except Exception:  # noqa: BLE001
                pass
        self.initialized = False
        self.session = None

    def handle_line(self, raw: bytes) -> None:
        req_id = None
        try:
            try:
                req = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                # never echo the line: it may hold a password
                raise BridgeError("invalid_params", "request is not a JSON object") from None
            if not isinstance(req, dict):
                raise BridgeError("invalid_params", "request is not a JSON object")
            req_id = req.get("id")
            if not (req_id is None or isinstance(req_id, (int, str))) or isinstance(req_id, bool):
                req_id = None
                raise BridgeError("invalid_params", "id must be an integer or a string")
            method = req.get("method")
            params = req.get("params", {})
            if params is None:
                params = {}
            if not isinstance(params, dict):
                raise BridgeError("invalid_params", "params must be an object")
            handler = self.methods.get(method) if isinstance(method, str) else None
            if handler is None:
                raise BridgeError("unknown_method", f"unknown method {str(method)[:64]!r}; read methods only")
            started = time.monotonic()
            result = handler(params)
            if method not in ("ping",):
                size = len(result) if isinstance(result, list) else None
                self.log(f"{method} ok in {round((time.monotonic() - started) * 1000)} ms"
                         + (f" ({size} rows)" if size is not None else ""))
            self.write({"id": req_id, "ok": True, "result": result})
        except BridgeError as exc:
            message = exc.message
            for secret in self.secrets:
                message = message.replace(secret, "***")
            self.write({"id": req_id, "ok": False,
                        "error": {"code": exc.code, "message": message, "mt5_code": exc.mt5_code}})
            if exc.code == "terminal_crashed":
                self.log("terminal crashed; exiting so that the worker restarts it")
                self.exit_code = EXIT_TERMINAL_CRASHED
                self.session = None
                self.initialized = False

    def serve(self, stream) -> int:
        self.hello()
        for raw in stream:
            if not raw.strip():
                continue
            self.handle_line(raw)
            if self.exit_code is not None:
                return self.exit_code
        self.close()  # EOF: the worker went away
        return EXIT_OK


def main() -> int:
    try:
        module, simulator = load_mt5()
    except Exception as exc:  # noqa: BLE001
        sys.stdout.buffer.write(json.dumps({"id": None, "ok": False, "error": {
            "code": "internal", "message": f"cannot import MetaTrader5: {exc}", "mt5_code": None}}).encode() + b"\n")
        sys.stdout.buffer.flush()
        return EXIT_NO_MODULE
    bridge = Bridge(ReadOnlyMT5(module, simulator))

    def on_term(signum, frame):  # graceful stop from the worker
        bridge.close()
        sys.exit(EXIT_OK)

    signal.signal(signal.SIGTERM, on_term)
    try:
        return bridge.serve(sys.stdin.buffer)
    except KeyboardInterrupt:
        bridge.close()
        return EXIT_OK
    except BrokenPipeError:
        return EXIT_OK
