"""Deterministic market prices: a smooth function of (symbol, UTC time) so that
deal prices, ticks and bars agree and every run gives the same numbers.

price(t) = base * (1 + sum of slow sines + a per-minute hashed wiggle); the FX
market is closed from Friday 24:00 to Monday 00:00 server time (NY+7 week).
Symbols marked `always_open` (crypto CFDs) trade around the clock, weekends too.
"""
from __future__ import annotations

import math
import zlib

DAY = 86400
WEEK = 7 * DAY
# 1970-01-04 was a Sunday: MT5 weekly bars open on Sunday 00:00 server time.
_SUNDAY0 = 3 * DAY

TIMEFRAME_SECONDS = {
    "M1": 60, "M5": 300, "M15": 900, "M30": 1800,
    "H1": 3600, "H4": 4 * 3600, "D1": DAY, "W1": WEEK,
}


def _hash01(*parts) -> float:
    return zlib.crc32("|".join(map(str, parts)).encode()) / 0xFFFFFFFF


class PriceModel:
    def __init__(self, symbol: str, base: float, digits: int, volatility: float = 1.0, always_open: bool = False):
        self.symbol = symbol
        self.always_open = always_open
        self.base = base
        self.digits = digits
        v = volatility
        # (relative amplitude, period seconds, phase)
        self.waves = [
            (0.030 * v, 41 * DAY, _hash01(symbol, 1) * 2 * math.pi),
            (0.010 * v, 6.3 * DAY, _hash01(symbol, 2) * 2 * math.pi),
            (0.003 * v, 0.9 * DAY, _hash01(symbol, 3) * 2 * math.pi),
            (0.0008 * v, 3.1 * 3600, _hash01(symbol, 4) * 2 * math.pi),
        ]
        self.noise = 0.00025 * v

    def raw(self, utc: float) -> float:
        x = 1.0
        for amp, period, phase in self.waves:
            x += amp * math.sin(2 * math.pi * utc / period + phase)
        minute = int(utc // 60)
        a = _hash01(self.symbol, minute) - 0.5
        b = _hash01(self.symbol, minute + 1) - 0.5
        frac = (utc % 60) / 60
        x += self.noise * (a + (b - a) * frac)
        return self.base * x

    def price(self, utc: float) -> float:
        return round(self.raw(utc), self.digits)


def market_open(server_time: float, always_open: bool = False) -> bool:
    """Monday 00:00 .. Friday 23:59:59 server time; always for an always-open symbol."""
    if always_open:
        return True
    weekday = (int(server_time // DAY) + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    return weekday < 5


def last_open_server_time(server_time: float) -> float:
    """The latest server time <= server_time while the market was open."""
    t = server_time
    while not market_open(t):
        t = (t // DAY) * DAY - 1  # 23:59:59 of the previous day
    return t


def bar_start(server_time: float, tf_seconds: int) -> int:
    t = int(server_time)
    if tf_seconds == WEEK:
        return t - ((t - _SUNDAY0) % WEEK)
    return t - (t % tf_seconds)


def make_bar(model: PriceModel, spread: int, bar_time: int, tf_seconds: int,
             offset_of, now_server: float):
    """One OHLC bar opening at server time bar_time; offset_of(server) -> UTC offset."""
    end = min(bar_time + tf_seconds, now_server + 1)
    samples = 12
    step = max(1.0, (end - bar_time) / samples)
    values = []
    t = float(bar_time)
    while t < end:
        if market_open(t, model.always_open):
            values.append(model.raw(t - offset_of(t)))
        t += step
    last = end - 1
    if market_open(last, model.always_open):
        values.append(model.raw(last - offset_of(last)))
    if not values:
        return None
    d = model.digits
    tick_volume = 20 + int(_hash01(model.symbol, bar_time, tf_seconds) * 40 * max(1, tf_seconds // 60))
    return (bar_time, round(values[0], d), round(max(values), d), round(min(values), d),
            round(values[-1], d), tick_volume, spread, 0)


def bar_times(from_server: float, to_server: float, tf_seconds: int, always_open: bool = False):
    """Server-time bar opens t with from <= t <= to while the market is open."""
    t = bar_start(from_server, tf_seconds)
    if t < from_server:
        t += tf_seconds if tf_seconds != WEEK else WEEK
    while t <= to_server:
        if tf_seconds == WEEK or market_open(t, always_open):
            yield t
        t += tf_seconds
