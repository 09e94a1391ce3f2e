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
