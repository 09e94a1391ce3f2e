"""The simulator's answers are a function of the scenario and the clock: a
representative request sequence (a sync's reads, the market data terminal's
refreshes and backfills, MAE/MFE and chart windows across DST changes and
weekends, the clock moving on) must answer byte for byte what it answered
before the simulator's CPU work was cut (docs/benchmarks.md, "Simulator CPU").

The expected digests were taken from the simulator as it was before that work
(commit 1a24688). A change that alters any price, bar, deal or field fails
here; if such a change is meant, say so in its commit and take new digests
with `python3 mt5/tests/test_same_answers.py --print`."""
from __future__ import annotations

import hashlib
import json
import sys
import unittest

from helpers import FAR_FUTURE, NETTING, Bridge

DEMO = {"login": 50100100, "password": "demo-investor", "server": "RawBroker-Demo", "timeout_ms": 10000}
TIMEFRAMES = ("M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1")
DAY = 86400


def _iso_epoch(text: str) -> int:
    import datetime as dt
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def demo_sequence(b):
    """Monday 2026-03-09 12:00 UTC: the US went to daylight time the day before (NY+7 is GMT+3 now)."""
    yield b.request("login", DEMO)
    for method in ("account_info", "positions"):
        yield b.request(method, {})
    yield b.request("deals", {"from": 0, "to": FAR_FUTURE})
    yield b.request("orders", {"from": 0, "to": FAR_FUTURE})
    deals = b.ok("deals", {"from": 0, "to": FAR_FUTURE})
    for position in sorted({d["position_id"] for d in deals if d["position_id"]})[-4:]:
        yield b.request("deals", {"position": position})
        yield b.request("orders", {"position": position})
    yield b.request("server_time_offset", {})
    now = b.ok("server_time_offset", {})["tick_time"]
    for symbol in ("EURUSD", "XAUUSD", "BTCUSD", "US30"):
        yield b.request("symbol_info", {"symbol": symbol})
        for tf in TIMEFRAMES:
            yield b.request("rates", {"symbol": symbol, "timeframe": tf, "count": 3})
        for tf in ("M30", "H1", "H4", "D1", "W1"):  # the market data terminal's backfill
            yield b.request("rates", {"symbol": symbol, "timeframe": tf, "from": now - 183 * DAY, "to": now})
    # MAE/MFE and chart windows: across the weekend and the US change, and a partial current bar
    for symbol, tf, start, hours in (("EURUSD", "M1", "2026-03-06T18:00:00Z", 60),
                                     ("GBPUSD", "M5", "2026-03-06T00:00:00Z", 96),
                                     ("XAUUSD", "M15", "2025-10-30T00:00:00Z", 120),
                                     ("ETHUSD", "M1", "2026-03-07T10:00:00Z", 5),
                                     ("USDJPY", "M1", "2026-03-09T10:17:00Z", 3)):
        at = _iso_epoch(start) + 3 * 3600
        yield b.request("rates", {"symbol": symbol, "timeframe": tf, "from": at, "to": at + hours * 3600})
    yield b.request("rates", {"symbol": "EURUSD", "timeframe": "M1", "count": 2000})
    yield b.request("rates", {"symbol": "NOPE", "timeframe": "H1", "count": 3})
    for seconds in (37, 3600, 5 * DAY):  # trading goes on; bars close; a weekend passes
        yield b.request("sim_advance", {"seconds": seconds})
        for method in ("account_info", "positions"):
            yield b.request(method, {})
        yield b.request("deals", {"from": now - DAY, "to": FAR_FUTURE})
        yield b.request("orders", {"from": now - DAY, "to": FAR_FUTURE})
        for tf in TIMEFRAMES:
            yield b.request("rates", {"symbol": "GBPJPY", "timeframe": tf, "count": 5})
        yield b.request("rates", {"symbol": "EURUSD", "timeframe": "M1", "from": now - 3600, "to": now + 7 * DAY})


def netting_sequence(b):
    """An EU+2 server (default.json), the EU's autumn change inside the windows."""
    yield b.request("login", NETTING)
    for method in ("account_info", "positions"):
        yield b.request(method, {})
    yield b.request("deals", {"from": 0, "to": FAR_FUTURE})
    at = _iso_epoch("2025-10-24T00:00:00Z")
    for tf in TIMEFRAMES:
        yield b.request("rates", {"symbol": "EURUSD", "timeframe": tf, "from": at, "to": at + 4 * DAY})
    yield b.request("rates", {"symbol": "US30", "timeframe": "H1", "count": 400})


RUNS = {
    "demo": (demo_sequence, {"RAWJOURNAL_SIM_SCENARIO": "demo", "RAWJOURNAL_SIM_START": "2026-03-09T12:00:00Z"}),
    "netting": (netting_sequence, {"RAWJOURNAL_SIM_SCENARIO": "default"}),
}

EXPECTED = {
    "demo": ("a408d218ff7bf1f38500f1862f7b1c91366f943531914cbfe19ca90b69568992", 119),
    "netting": ("2a17b76fe7a40b268c00e285c47a2686ffa6dfe02cfe32d6547ecdd82a39add7", 13),
}


def answers_digest(name: str):
    sequence, env = RUNS[name]
    digest = hashlib.sha256()
    count = 0
    with Bridge(RAWJOURNAL_SIM_LATENCY_SCALE="0", **env) as b:
        for response in sequence(b):
            result = response.get("result")
            if isinstance(result, dict):
                result.pop("elapsed_ms", None)  # wall time of the login call
            digest.update(json.dumps(response, sort_keys=True, separators=(",", ":")).encode() + b"\n")
            count += 1
    return digest.hexdigest(), count


class SameAnswersTest(unittest.TestCase):
    def test_demo_sequence_answers_as_before(self):
        self.assertEqual(answers_digest("demo"), EXPECTED["demo"])

    def test_netting_sequence_answers_as_before(self):
        self.assertEqual(answers_digest("netting"), EXPECTED["netting"])


def _reference_raw(model, utc):
    """PriceModel.raw as it was: a loop over the waves and a CRC of "<symbol>|<minute>" per call."""
    import math
    import zlib
    x = 1.0
    for amp, period, phase in model.waves:
        x += amp * math.sin(2 * math.pi * utc / period + phase)
    minute = int(utc // 60)
    a = zlib.crc32(f"{model.symbol}|{minute}".encode()) / 0xFFFFFFFF - 0.5
    b = zlib.crc32(f"{model.symbol}|{minute + 1}".encode()) / 0xFFFFFFFF - 0.5
    frac = (utc % 60) / 60
    x += model.noise * (a + (b - a) * frac)
    return model.base * x


def _reference_bar(model, spread, bar_time, tf_seconds, zone, now_server):
    """make_bar as it was: every sample checks the market and asks for the zone's offset afresh."""
    from rjsim.clock import offset_seconds
    from rjsim.market import _hash01, market_open
    end = min(bar_time + tf_seconds, now_server + 1)
    step = max(1.0, (end - bar_time) / 12)
    values = []
    t = float(bar_time)
    while t < end:
        if market_open(t, model.always_open):
            values.append(_reference_raw(model, t - ((t + offset_seconds(zone, t)) - t)))
        t += step
    last = end - 1
    if market_open(last, model.always_open):
        values.append(_reference_raw(model, last - ((last + offset_seconds(zone, last)) - last)))
    if not values:
        return None
    d = model.digits
    tick_volume = 20 + int(_hash01(model.symbol, bar_time, tf_seconds) * 40 * max(1, tf_seconds // 60))
    return (bar_time, round(values[0], d), round(max(values), d), round(min(values), d),
            round(values[-1], d), tick_volume, spread, 0)


class SameFloatsTest(unittest.TestCase):
    """Below the rounding the answers go through: the same floats, bit for bit."""

    def setUp(self):
        import os
        simulator = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator")
        if simulator not in sys.path:
            sys.path.insert(0, simulator)

    def test_raw_prices_are_the_reference_floats(self):
        import random
        from rjsim.market import PriceModel
        rng = random.Random(7)
        for symbol, base, digits, always in (("EURUSD", 1.085, 5, False), ("BTCUSD", 65000.0, 2, True)):
            model = PriceModel(symbol, base, digits, 1.3, always)
            for _ in range(20000):
                utc = rng.uniform(1.6e9, 1.9e9) if rng.random() < 0.5 else float(rng.randrange(1_600_000_000, 1_900_000_000))
                self.assertEqual(model.raw(utc).hex(), _reference_raw(model, utc).hex(), (symbol, utc))

    def test_bars_and_offsets_are_the_reference_ones(self):
        import random
        from rjsim.clock import offset_function, offset_seconds
        from rjsim.market import TIMEFRAME_SECONDS, PriceModel, bar_start, make_bar
        rng = random.Random(11)
        models = [PriceModel("XAUUSD", 2350.0, 2), PriceModel("ETHUSD", 3200.0, 2, 1.0, True)]
        for zone in ("NY+7", "EU+2", "+3", "UTC"):
            offset = offset_function(zone)
            # DST changes of 2025-2027 and random instants, in and out of order
            edges = [e for year in (2025, 2026, 2027) for e in _dst_edges(year)]
            instants = [e + d for e in edges for d in (-3601, -1, -0.5, 0, 0.25, 1, 3599)]
            instants += [rng.uniform(1.70e9, 1.83e9) for _ in range(3000)]
            for utc in instants:
                self.assertEqual(offset(utc), offset_seconds(zone, utc), (zone, utc))
            offset_of = lambda t: (t + offset(t)) - t  # noqa: E731 - as Terminal.rates builds it
            for _ in range(1500):
                model = rng.choice(models)
                tf = TIMEFRAME_SECONDS[rng.choice(list(TIMEFRAME_SECONDS))]
                around = rng.choice(instants)
                now = around + rng.choice([0.0, 0.4, rng.uniform(0, 3 * tf)])
                bar_time = bar_start(around, tf)
                self.assertEqual(make_bar(model, 8, bar_time, tf, offset_of, now),
                                 _reference_bar(model, 8, bar_time, tf, zone, now), (zone, tf, bar_time, now))


def _dst_edges(year):
    from rjsim.clock import _eu_window, _us_window
    return [*_us_window(year), *_eu_window(year)]


if __name__ == "__main__" and "--print" in sys.argv:
    for run in RUNS:
        print(run, answers_digest(run))
