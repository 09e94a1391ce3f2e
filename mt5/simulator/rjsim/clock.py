"""Broker server clocks and the simulated clock.

Server zones (scenario `servers.<name>.zone`):
  "NY+7"   New York + 7 h: GMT+2 in northern winter, GMT+3 while the US is on
           daylight time (2nd Sunday of March 07:00 UTC -> 1st Sunday of
           November 06:00 UTC). Server midnight = 17:00 New York.
  "EU+2"   GMT+2, GMT+3 on EU summer dates (last Sunday of March 01:00 UTC ->
           last Sunday of October 01:00 UTC).
  "UTC", "+3", "-5", "UTC+2"   fixed offsets in hours.
Rules are computed here (no tzdata needed).
"""
from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import time as _time

_DAY = 86400


def _nth_sunday(year: int, month: int, n: int) -> _dt.date:
    d = _dt.date(year, month, 1)
    first = d + _dt.timedelta(days=(6 - d.weekday()) % 7)
    return first + _dt.timedelta(days=7 * (n - 1))


def _last_sunday(year: int, month: int) -> _dt.date:
    nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
    d = nxt - _dt.timedelta(days=1)
    return d - _dt.timedelta(days=(d.weekday() - 6) % 7)


def _utc_epoch(d: _dt.date, hour: int) -> int:
    return int(_dt.datetime(d.year, d.month, d.day, hour, tzinfo=_dt.timezone.utc).timestamp())


@functools.lru_cache(maxsize=None)
def _us_window(year: int):
    return _utc_epoch(_nth_sunday(year, 3, 2), 7), _utc_epoch(_nth_sunday(year, 11, 1), 6)


@functools.lru_cache(maxsize=None)
def _eu_window(year: int):
    return _utc_epoch(_last_sunday(year, 3), 1), _utc_epoch(_last_sunday(year, 10), 1)


def _year(utc: float) -> int:
    return _dt.datetime.fromtimestamp(utc, _dt.timezone.utc).year


def us_dst(utc: float) -> bool:
    start, end = _us_window(_year(utc))
    return start <= utc < end


def eu_dst(utc: float) -> bool:
    start, end = _eu_window(_year(utc))
    return start <= utc < end


_FIXED = re.compile(r"^(?:UTC|GMT)?\s*([+-]\d{1,2})(?::?(\d{2}))?$")


def offset_seconds(zone: str, utc: float) -> int:
    """Seconds east of UTC the server clock shows at a UTC instant."""
    if zone == "NY+7":
        return (3 if us_dst(utc) else 2) * 3600
    if zone == "EU+2":
        return (3 if eu_dst(utc) else 2) * 3600
    if zone in ("UTC", "GMT", ""):
        return 0
    m = _FIXED.match(zone)
    if not m:
        raise ValueError(f"unknown server zone {zone!r}")
    hours = int(m.group(1))
    minutes = int(m.group(2) or 0)
    return hours * 3600 + (minutes * 60 if hours >= 0 else -minutes * 60)


@functools.lru_cache(maxsize=None)
def _year_bounds(year: int):
    return _utc_epoch(_dt.date(year, 1, 1), 0), _utc_epoch(_dt.date(year + 1, 1, 1), 0)


def offset_span(zone: str, utc: float):
    """offset_seconds(zone, utc) and a UTC interval [lo, hi) around utc over which it is the same."""
    if zone in ("NY+7", "EU+2"):
        year = _year(utc)
        start, end = _us_window(year) if zone == "NY+7" else _eu_window(year)
        first, after = _year_bounds(year)
        if utc < start:
            return 2 * 3600, first, start
        if utc < end:
            return 3 * 3600, start, end
        return 2 * 3600, end, after
    return offset_seconds(zone, utc), float("-inf"), float("inf")


def offset_function(zone: str):
    """offset_seconds for one zone, remembering the span the last answer holds for: a bar's
    dozen samples, a request's thousands of bars and an account's deals mostly share one."""
    span = [0, 0.0, 0.0]  # offset, lo, hi: empty until the first call

    def offset(utc: float) -> int:
        if not span[1] <= utc < span[2]:
            span[:] = offset_span(zone, utc)
        return span[0]

    return offset


def to_server(zone: str, utc: float) -> float:
    return utc + offset_seconds(zone, utc)


_DURATION = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*([wdhms]?)")
_UNITS = {"w": 7 * _DAY, "d": _DAY, "h": 3600, "m": 60, "s": 1, "": 1}


def parse_offset(value) -> float:
    """Scenario offsets: a number of seconds, or "-3d 4h 30m" (sign applies to all)."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    total = 0.0
    pos = 0
    for m in _DURATION.finditer(text):
        if text[pos:m.start()].strip():
            raise ValueError(f"bad offset {value!r}")
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if text[pos:].strip() or pos == 0:
        raise ValueError(f"bad offset {value!r}")
    return sign * total


def wall_time() -> float:
    """The run's wall clock: the system clock shifted by RAWJOURNAL_CLOCK_OFFSET_MS,
    which the jobs process hands down when the demo or the tests run on another
    day (app/lib/wall-clock.server.ts), so "now" means the same instant in both."""
    return _time.time() + env_float("RAWJOURNAL_CLOCK_OFFSET_MS", 0.0) / 1000.0


def parse_start(value) -> float:
    """Scenario start: "now", an ISO-8601 UTC instant, or epoch seconds."""
    if value in (None, "now"):
        return float(int(wall_time()))
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace("Z", "+00:00")
    dt = _dt.datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_dt.timezone.utc)
    return dt.timestamp()


class SimClock:
    """Simulated UTC clock.

    elapsed = manual advances (sim_advance)
              + the number in RAWJOURNAL_SIM_CLOCK_FILE when that env var is set
                (re-read on every call; real time is then ignored),
              + otherwise real elapsed time x speed (speed 0 freezes the clock),
                counted from the process start, or from the start itself when
                the start is "now" (see RAWJOURNAL_SIM_STATE_FILE).
    """

    def __init__(self, start_utc: float, speed: float = 1.0, clock_file: str | None = None,
                 wall_anchor: float | None = None):
        self.start_utc = start_utc
        self.speed = speed
        self.clock_file = clock_file
        self.manual = 0.0
        # elapsed real time counts from the process start, or from a wall-clock
        # instant (a remembered "now" start: a restarted process resumes there)
        self._t0 = _time.monotonic() - (max(0.0, wall_time() - wall_anchor) if wall_anchor else 0.0)

    def elapsed(self) -> float:
        base = self.manual
        if self.clock_file:
            try:
                with open(self.clock_file, "r", encoding="utf-8") as fh:
                    text = fh.read().strip()
                base += float(text) if text else 0.0
            except (OSError, ValueError):
                pass
        else:
            base += (_time.monotonic() - self._t0) * self.speed
        return base

    def now_utc(self) -> float:
        return self.start_utc + self.elapsed()

    def advance(self, seconds: float) -> None:
        self.manual += float(seconds)


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return float(raw)
