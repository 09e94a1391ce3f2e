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


_TWO_PI = 2 * math.pi  # the first step of `2 * math.pi * utc`, so the product rounds as it always did
_MINUTE_CACHE_SIZE = 4096


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
        # _hash01(symbol, minute) is crc32("<symbol>|<minute>"): the prefix's CRC is carried into each
        # minute's, and a bar's dozen samples share one or two minutes, so each minute is hashed once.
        self._crc_prefix = zlib.crc32((symbol + "|").encode())
        self._minutes: dict = {}
        self.raw = self._make_raw()

    def _minute01(self, minute: int) -> float:
        value = zlib.crc32(str(minute).encode(), self._crc_prefix) / 0xFFFFFFFF
        if len(self._minutes) >= _MINUTE_CACHE_SIZE:
            self._minutes.clear()
        self._minutes[minute] = value
        return value

    def _make_raw(self):
        """raw(utc): the price before rounding. The waves are unrolled into locals (the bars of a long
        range call it millions of times) with the same operations in the same order as a loop over
        self.waves, so every float is what that loop gives."""
        (a0, p0, f0), (a1, p1, f1), (a2, p2, f2), (a3, p3, f3) = self.waves
        sin = math.sin
        base, noise = self.base, self.noise
        minutes, minute01 = self._minutes, self._minute01

        def raw(utc: float) -> float:
            x = 1.0
            x += a0 * sin(_TWO_PI * utc / p0 + f0)
            x += a1 * sin(_TWO_PI * utc / p1 + f1)
            x += a2 * sin(_TWO_PI * utc / p2 + f2)
            x += a3 * sin(_TWO_PI * utc / p3 + f3)
            minute = int(utc // 60)
            a = minutes.get(minute)
            if a is None:
                a = minute01(minute)
            b = minutes.get(minute + 1)
            if b is None:
                b = minute01(minute + 1)
            a -= 0.5
            b -= 0.5
            frac = (utc % 60) / 60
            x += noise * (a + (b - a) * frac)
            return base * x

        return raw

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
    raw = model.raw
    values = []
    t = float(bar_time)
    last = end - 1
    if tf_seconds <= DAY and bar_time // DAY == (bar_time + tf_seconds - 1) // DAY and bar_time <= now_server:
        # Every sample (last included: bar_time <= last < bar_time + tf) is on the bar's own server day,
        # so the market is open for all of them or for none.
        if not market_open(bar_time, model.always_open):
            return None
        while t < end:
            values.append(raw(t - offset_of(t)))
            t += step
        values.append(raw(last - offset_of(last)))
    else:
        while t < end:
            if market_open(t, model.always_open):
                values.append(raw(t - offset_of(t)))
            t += step
        if market_open(last, model.always_open):
            values.append(raw(last - offset_of(last)))
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
