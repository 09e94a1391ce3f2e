"""Stand-in for the official `MetaTrader5` package, driven by a scenario file
(see mt5/scenarios/README.md). Importable as `MetaTrader5` when mt5/simulator is
on sys.path; the bridge does that when RAWJOURNAL_MT5_MODULE=simulator.

Implements the read subset the bridge uses with the official signatures,
constants, result namedtuples (`_asdict()`), `last_error()` codes and quirks
(history dates are positional; rates come back as a structured array - here a
numpy-free RateArray with `.dtype.names` and `.tolist()`). Trading functions
exist only so that a call would be recorded and refused; the bridge never
reaches them (tests check).
"""
from __future__ import annotations

import calendar
import datetime as _dt
import fnmatch
import os
import sys

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from rjsim.constants import *  # noqa: E402,F401,F403
from rjsim import constants as _C  # noqa: E402
from rjsim.terminal import terminal as _terminal  # noqa: E402
from rjsim.types import (AccountInfo, RateArray, SymbolInfo, Tick, TerminalInfo,  # noqa: E402,F401
                         TradeDeal, TradeOrder, TradePosition)

__version__ = "5.0.4755-rawjournal-simulator"
__author__ = "RawJournal simulator"
__rawjournal_simulator__ = True

_CALC = {k[len("SYMBOL_CALC_MODE_"):]: v for k, v in vars(_C).items() if k.startswith("SYMBOL_CALC_MODE_")}


def _epoch(value):
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return calendar.timegm(value.timetuple())
        return value.timestamp()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError("date must be a datetime or seconds since 1970.01.01")


def _session(name):
    t = _terminal()
    if not t.enter(name):
        return None
    if not t.initialized:
        t.fail(RES_E_INTERNAL_FAIL_INIT, "IPC initialize failed, MetaTrader 5 x64 not found")
        return None
    if t.current is None:
        t.fail(RES_E_FAIL, "Terminal: not authorized")
        return None
    t.sync()
    return t


# ---- session -------------------------------------------------------------------------
def initialize(path=None, *, login=None, password=None, server=None, timeout=60000, portable=False):
    t = _terminal()
    if not t.enter("initialize"):
        return False
    t.initialized = True
    if login is None:
        t.ok(None)
        return True
    ok = t.login(login, password, server, timeout, initializing=True)
    if not ok:
        t.initialized = t.error[0] not in (RES_E_INTERNAL_FAIL_TIMEOUT,)
    return ok


def login(login, password=None, server=None, timeout=60000):
    t = _terminal()
    if not t.enter("login"):
        return False
    if not t.initialized:
        return t.fail(RES_E_INTERNAL_FAIL_INIT, "IPC initialize failed", False)
    return t.login(login, password, server, timeout, initializing=False)


def shutdown():
    t = _terminal()
    if not t.enter("shutdown"):
        return None
    t.initialized = False
    return t.ok(None)


def last_error():
    return _terminal().error


def version():
    t = _terminal()
    if not t.enter("version") or not t.initialized:
        return None
    return t.ok((500, t.build, "22 Nov 2026"))


def terminal_info():
    t = _terminal()
    if not t.enter("terminal_info"):
        return None
    if not t.initialized:
        return t.fail(RES_E_INTERNAL_FAIL_INIT, "IPC initialize failed")
    return t.ok(TerminalInfo(False, False, t.current is not None, False, False, False, False, False, False,
                             False, t.build, t.maxbars, 0, 23456, 0.0, 0.0, "MetaQuotes Ltd.",
                             "MetaTrader 5 (RawJournal simulator)", "English", "C:\\MT5", "C:\\MT5",
                             "C:\\MT5\\Common"))


def account_info():
    t = _session("account_info")
    if t is None:
        return None
    a = t.current
    utc = t.clock.now_utc()
    profit = round(sum(p.profit for p in a.open_positions(utc)), 2)
    equity = round(a.balance + a.credit + profit, 2)
    margin = a.margin(utc)
    level = round(equity / margin * 100, 2) if margin else 0.0
    return t.ok(AccountInfo(a.login, a.trade_mode, a.leverage, 200, ACCOUNT_STOPOUT_MODE_PERCENT, t.trade_allowed,
                            t.trade_allowed, a.margin_mode, 2, False, a.balance, a.credit, profit, equity,
                            margin, round(equity - margin, 2), level, 50.0, 30.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                            a.name, a.server, a.currency, a.company))


def positions_total():
    t = _session("positions_total")
    return None if t is None else t.ok(len(t.current.positions))


def positions_get(symbol=None, group=None, ticket=None):
    t = _session("positions_get")
    if t is None:
        return None
    out = t.current.open_positions(t.clock.now_utc())
    if symbol is not None:
        out = [p for p in out if p.symbol == symbol]
    if group is not None:
        out = [p for p in out if _group_match(p.symbol, group)]
    if ticket is not None:
        out = [p for p in out if p.ticket == ticket]
    return t.ok(tuple(out))


def _group_match(name, group):
    result = False
    for pattern in str(group).split(","):
        pattern = pattern.strip()
        if pattern.startswith("!"):
            if fnmatch.fnmatchcase(name, pattern[1:]):
                return False
        elif fnmatch.fnmatchcase(name, pattern):
            result = True
    return result


def _history(name, args, kwargs, by_pos, by_ticket, between):
    t = _session(name)
    if t is None:
        return None
    extra = set(kwargs) - {"group", "ticket", "position"}
    if extra or len(args) not in (0, 2):
        # the real package accepts the dates positionally only
        return t.fail(RES_E_INVALID_PARAMS, "Invalid arguments")
    if "position" in kwargs:
        rows = by_pos(t.current).get(int(kwargs["position"]), [])
    elif "ticket" in kwargs:
        rows = by_ticket(t.current, int(kwargs["ticket"]))
    elif len(args) == 2:
        try:
            rows = between(t.current, _epoch(args[0]), _epoch(args[1]))
        except TypeError:
            return t.fail(RES_E_INVALID_PARAMS, "Invalid arguments")
        if "group" in kwargs:
            rows = [r for r in rows if _group_match(r.symbol, kwargs["group"])]
    else:
        return t.fail(RES_E_INVALID_PARAMS, "Invalid arguments")
    return t.ok(tuple(rows))


def history_deals_get(*args, **kwargs):
    return _history("history_deals_get", args, kwargs, lambda a: a.deals_by_position,
                    lambda a, tk: a.deals_by_order.get(tk, []), lambda a, f, to: a.deals_between(f, to))


def history_deals_total(date_from, date_to):
    res = history_deals_get(date_from, date_to)
    return None if res is None else len(res)


def history_orders_get(*args, **kwargs):
    return _history("history_orders_get", args, kwargs, lambda a: a.orders_by_position,
                    lambda a, tk: [o for o in a.orders if o.ticket == tk],
                    lambda a, f, to: a.orders_between(f, to))


def history_orders_total(date_from, date_to):
    res = history_orders_get(date_from, date_to)
    return None if res is None else len(res)


# ---- symbols -------------------------------------------------------------------------
def symbols_total():
    t = _session("symbols_total")
    return None if t is None else t.ok(len(t.symbols))


def symbols_get(group=None):
    t = _session("symbols_get")
    if t is None:
        return None
    names = [n for n in t.symbols if group is None or _group_match(n, group)]
    return t.ok(tuple(_symbol_info(t, n) for n in names))


def _symbol_info(t, name):
    s = t.symbols[name]
    a = t.current
    utc = t.clock.now_utc()
    digits = int(s["digits"])
    point = round(10.0 ** -digits, digits)
    mid = t.model(name).price(utc)
    half = s["spread"] * point / 2
    bid, ask = round(mid - half, digits), round(mid + half, digits)
    tick_size = float(s.get("tick_size", point))
    tick_value = round(a.to_account_ccy(tick_size * s["contract_size"], s["currency_profit"], s, bid), 8) \
        if s["calc_mode"] != "FUTURES" else float(s.get("tick_value", 1.0))
    return SymbolInfo(False, 0, True, True, 0, 0, 0, 0, 0, 0, int(t.tick_time(name)), digits, int(s["spread"]), True,
                      10, _CALC[s["calc_mode"]], SYMBOL_TRADE_MODE_FULL, 0, 0, 0, 0, 2, 1, 3, False, 15, 1, 127, 0,
                      bid, ask, 0.0, point, tick_value, tick_value, tick_value, tick_size,
                      float(s["contract_size"]), float(s["volume_min"]), float(s["volume_max"]),
                      float(s["volume_step"]), 0.0, float(s.get("swap_long", 0.0)),
                      float(s.get("swap_short", 0.0)), 0.0, 0.0, float(s["contract_size"]) / 2,
                      s["currency_base"], s["currency_profit"], s["currency_margin"], s.get("description", name),
                      s.get("path", name), name)


def symbol_info(symbol):
    t = _session("symbol_info")
    if t is None:
        return None
    if symbol not in t.symbols:
        return t.fail(RES_E_NOT_FOUND, "Terminal: Not found")
    return t.ok(_symbol_info(t, symbol))


def symbol_info_tick(symbol):
    t = _session("symbol_info_tick")
    if t is None:
        return None
    if symbol not in t.symbols:
        return t.fail(RES_E_NOT_FOUND, "Terminal: Not found")
    info = _symbol_info(t, symbol)
    tick_time = t.tick_time(symbol)
    return t.ok(Tick(int(tick_time), info.bid, info.ask, 0.0, 0, int(tick_time * 1000), 6, 0.0))


def symbol_select(symbol, enable=True):
    t = _session("symbol_select")
    if t is None:
        return False
    return t.ok(symbol in t.symbols)


# ---- rates ---------------------------------------------------------------------------
def _rates(name, symbol, timeframe, **kw):
    t = _session(name)
    if t is None:
        return None
    rows = t.rates(symbol, timeframe, **kw)
    if rows is None:
        return t.fail(RES_E_INVALID_PARAMS, "Terminal: Invalid params")
    return t.ok(RateArray(rows))


def copy_rates_range(symbol, timeframe, date_from, date_to):
    return _rates("copy_rates_range", symbol, timeframe, t_from=_epoch(date_from), t_to=_epoch(date_to))


def copy_rates_from_pos(symbol, timeframe, start_pos, count):
    return _rates("copy_rates_from_pos", symbol, timeframe, count=int(count), start_pos=int(start_pos))


def copy_rates_from(symbol, timeframe, date_from, count):
    t = _terminal()
    rows = _rates("copy_rates_from", symbol, timeframe, t_from=0, t_to=_epoch(date_from))
    if rows is None:
        return None
    return t.ok(RateArray(rows.tolist()[-int(count):]))


# ---- trading: present in the real package, refused here; the bridge never calls them ----
def _trading(name):
    def refused(*args, **kwargs):
        t = _terminal()
        t.enter(name)
        return t.fail(RES_E_AUTO_TRADING_DISABLED, "Simulator: trading functions are not available", None)
    refused.__name__ = name
    return refused


order_send = _trading("order_send")
order_check = _trading("order_check")
order_calc_margin = _trading("order_calc_margin")
order_calc_profit = _trading("order_calc_profit")
orders_get = _trading("orders_get")
orders_total = _trading("orders_total")
market_book_add = _trading("market_book_add")
market_book_get = _trading("market_book_get")
market_book_release = _trading("market_book_release")


# ---- simulator-only hooks (the bridge exposes them only when this module is loaded) ----
def _rawjournal_sim_advance(seconds):
    t = _terminal()
    t.clock.advance(seconds)
    t.sync()
    return t.clock.elapsed()


def _rawjournal_utc_now():
    return _terminal().clock.now_utc()
