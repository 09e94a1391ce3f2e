"""demo.json (trades forever) and large.json (100 000 historical deals)."""
import collections
import os
import sys
import tempfile
import time
import unittest

from helpers import FAR_FUTURE, Bridge

DEMO = {"login": 50100100, "password": "demo-investor", "server": "RawBroker-Demo", "timeout_ms": 30000}
LARGE = {"login": 50200200, "password": "bench-investor", "server": "RawBroker-Demo", "timeout_ms": 30000}
FIXED = "2026-03-04T10:00:00Z"


class DemoScenarioTest(unittest.TestCase):
    def test_demo_account_keeps_trading(self):
        with tempfile.TemporaryDirectory() as tmp:
            clock = os.path.join(tmp, "clock")
            with open(clock, "w") as fh:
                fh.write("0")
            with Bridge("demo", RAWJOURNAL_SIM_CLOCK_FILE=clock, RAWJOURNAL_SIM_LATENCY_SCALE="0.05") as b:
                self.assertEqual(b.error("login", dict(DEMO, password="demo-master"))["code"], "trade_allowed")
                b.ok("login", DEMO)
                history = b.ok("deals", {"from": 0, "to": FAR_FUTURE})
                self.assertGreater(len(history), 100)
                kinds = collections.Counter((d["type_name"], d["entry_name"]) for d in history)
                self.assertGreater(kinds[("balance", "in")], 1)
                self.assertGreater(kinds[("buy", "out")] + kinds[("sell", "out")], 20)
                self.assertTrue(any(d["reason_name"] in ("sl", "tp") for d in history))
                last = history[-1]["time_msc"]
                seen = len(history)
                arrivals = []
                for minute in range(1, 11):
                    with open(clock, "w") as fh:
                        fh.write(str(60 * minute))
                    deals = b.ok("deals", {"from": 0, "to": FAR_FUTURE})
                    arrivals.append(len(deals) - seen)
                    seen = len(deals)
                # a deal every 20-40 s: 1 to 3 new deals every simulated minute
                self.assertTrue(all(1 <= n <= 3 for n in arrivals), arrivals)
                self.assertTrue(all(d["time_msc"] > last for d in deals[-sum(arrivals):]))
                info = b.ok("account_info")
                self.assertEqual(info["login"], 50100100)

    def test_a_restarted_bridge_sees_the_same_world(self):
        with tempfile.TemporaryDirectory() as tmp:
            state = os.path.join(tmp, "sim-state.json")
            runs = []
            for _ in range(2):
                with Bridge("demo", RAWJOURNAL_SIM_STATE_FILE=state, RAWJOURNAL_SIM_LATENCY_SCALE="0") as b:
                    b.ok("login", DEMO)
                    runs.append(b.ok("deals", {"from": 0, "to": FAR_FUTURE}))
                time.sleep(1.1)
            self.assertTrue(os.path.exists(state))
            first, second = runs
            self.assertGreater(len(first), 100)
            self.assertEqual(second[:len(first) - 1], first[:-1])

    def _trading_minutes(self, **env):
        """New deals in each of 10 simulated minutes after the start, and those deals."""
        with tempfile.TemporaryDirectory() as tmp:
            clock = os.path.join(tmp, "clock")
            with open(clock, "w") as fh:
                fh.write("0")
            with Bridge("demo", RAWJOURNAL_SIM_CLOCK_FILE=clock, RAWJOURNAL_SIM_LATENCY_SCALE="0", **env) as b:
                b.ok("login", DEMO)
                seen = len(b.ok("deals", {"from": 0, "to": FAR_FUTURE}))
                arrivals = []
                for minute in range(1, 11):
                    with open(clock, "w") as fh:
                        fh.write(str(60 * minute))
                    deals = b.ok("deals", {"from": 0, "to": FAR_FUTURE})
                    arrivals.append(len(deals) - seen)
                    seen = len(deals)
                return arrivals, deals[-sum(arrivals):], deals

    def test_demo_trades_crypto_at_the_weekend_and_everything_on_weekdays(self):
        # Saturday 5 December 2026, 12:00 UTC: the FX week is closed.
        arrivals, new, history = self._trading_minutes(RAWJOURNAL_SIM_START="2026-12-05T12:00:00Z")
        self.assertTrue(all(1 <= n <= 3 for n in arrivals), arrivals)
        traded = {d["symbol"] for d in new if d["symbol"]}
        self.assertTrue(traded and traded <= {"BTCUSD", "ETHUSD"}, traded)
        # Weekend slots of the history trade crypto too, never FX.
        weekend = [d for d in history if d["symbol"] and (d["time"] // 86400 + 3) % 7 >= 5]
        self.assertTrue(weekend and {d["symbol"] for d in weekend} <= {"BTCUSD", "ETHUSD"})
        # Wednesday 2 December 2026: every symbol is open.
        arrivals, new, _ = self._trading_minutes(RAWJOURNAL_SIM_START="2026-12-02T12:00:00Z")
        self.assertTrue(all(1 <= n <= 3 for n in arrivals), arrivals)

    def test_now_follows_the_runs_shifted_clock(self):
        # RAWJOURNAL_CLOCK_OFFSET_MS (handed down by the jobs process) moves "now" to a Saturday.
        offset_ms = int((1796472000 - time.time()) * 1000)  # 2026-12-05T12:00:00Z
        with Bridge("demo", RAWJOURNAL_SIM_SPEED="0", RAWJOURNAL_SIM_LATENCY_SCALE="0",
                    RAWJOURNAL_CLOCK_OFFSET_MS=str(offset_ms)) as b:
            b.ok("login", DEMO)
            info = b.ok("server_time_offset")
            self.assertLess(abs(info["utc_now"] - 1796472000), 30)

    def test_same_seed_same_history(self):
        runs = []
        for _ in range(2):
            with Bridge("demo", RAWJOURNAL_SIM_START=FIXED, RAWJOURNAL_SIM_LATENCY_SCALE="0") as b:
                b.ok("login", DEMO)
                runs.append(b.ok("deals", {"from": 0, "to": FAR_FUTURE}))
        self.assertEqual(runs[0], runs[1])


class LargeHistoryTest(unittest.TestCase):
    def test_100000_deals(self):
        with Bridge("large") as b:
            started = time.monotonic()
            b.ok("login", LARGE, timeout=300)
            login_s = time.monotonic() - started
            started = time.monotonic()
            deals = b.ok("deals", {"from": 0, "to": FAR_FUTURE}, timeout=300)
            deals_s = time.monotonic() - started
            raw_bytes = len(b.stdout_raw[-1])
            self.assertEqual(len(deals), 100_000)
            self.assertEqual(len({d["ticket"] for d in deals}), 100_000)
            times = [d["time_msc"] for d in deals]
            self.assertEqual(times, sorted(times))
            pid = next(d["position_id"] for d in reversed(deals) if d["entry_name"] == "out")
            started = time.monotonic()
            legs = b.ok("deals", {"position": pid})
            position_ms = (time.monotonic() - started) * 1000
            self.assertEqual(legs[0]["entry_name"], "in")
            sys.stderr.write(f"\n[measure] large.json: simulator builds 100000 deals at login in {login_s:.2f} s; "
                             f"bridge returns all 100000 deals in {deals_s:.2f} s ({raw_bytes / 1e6:.1f} MB line); "
                             f"deals of one position in {position_ms:.1f} ms\n")
            self.assertLess(deals_s, 30)


if __name__ == "__main__":
    unittest.main()
