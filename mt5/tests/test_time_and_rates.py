import unittest
from decimal import Decimal

from helpers import HEDGING, NETTING, Bridge

START = 1772618400  # 2026-03-04T10:00:00Z (Wednesday)
TF_SECONDS = {"M30": 1800, "H1": 3600, "H4": 14400, "D1": 86400, "W1": 604800}


def weekday(server_time):  # 0 = Monday
    return (server_time // 86400 + 3) % 7


class ServerClockTest(unittest.TestCase):
    def offset(self, start, account=HEDGING):
        with Bridge(RAWJOURNAL_SIM_START=start) as b:
            b.ok("login", account)
            return b.ok("server_time_offset")

    def test_gmt_plus_2_in_winter(self):
        res = self.offset("2026-01-14T12:00:00Z")
        self.assertEqual((res["offset_seconds"], res["offset_minutes"], res["symbol"]), (7200, 120, "EURUSD"))
        self.assertLess(abs(res["residual_seconds"]), 60)
        self.assertEqual(res["tick_time"] - res["utc_now"] - res["offset_seconds"], round(res["residual_seconds"]))

    def test_gmt_plus_3_in_summer(self):
        self.assertEqual(self.offset("2026-07-15T12:00:00Z")["offset_seconds"], 10800)

    def test_ny_plus_7_follows_us_dates_eu_server_follows_eu_dates(self):
        # 2026-03-10: the US is on daylight time, Europe not yet
        self.assertEqual(self.offset("2026-03-10T12:00:00Z")["offset_seconds"], 10800)
        self.assertEqual(self.offset("2026-03-10T12:00:00Z", NETTING)["offset_seconds"], 7200)
        # 2026-10-28: Europe is back on winter time, the US not yet
        self.assertEqual(self.offset("2026-10-28T12:00:00Z")["offset_seconds"], 10800)
        self.assertEqual(self.offset("2026-10-28T12:00:00Z", NETTING)["offset_seconds"], 7200)

    def test_offset_of_a_named_symbol_and_unknown_symbol(self):
        with Bridge() as b:
            b.ok("login", HEDGING)
            self.assertEqual(b.ok("server_time_offset", {"symbol": "XAUUSD"})["offset_seconds"], 7200)
            self.assertEqual(b.error("server_time_offset", {"symbol": "NOPE"})["code"], "not_found")


class RatesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bridge()
        cls.b.ok("login", HEDGING)
        cls.now_server = START + 7200

    @classmethod
    def tearDownClass(cls):
        cls.b.close()

    def check_bars(self, bars, tf):
        seconds = TF_SECONDS[tf]
        times = [r["time"] for r in bars]
        self.assertEqual(times, sorted(set(times)))
        for r in bars:
            self.assertEqual(set(r), {"time", "open", "high", "low", "close", "tick_volume", "spread", "real_volume"})
            o, h, low, c = (Decimal(r[k]) for k in ("open", "high", "low", "close"))
            self.assertTrue(low <= min(o, c) and max(o, c) <= h, r)
            self.assertIsInstance(r["tick_volume"], int)
            self.assertLessEqual(r["time"], self.now_server)
            if tf == "W1":
                self.assertEqual(weekday(r["time"]), 6, "weekly bars open on Sunday")
                self.assertEqual(r["time"] % 86400, 0)
            else:
                self.assertEqual(r["time"] % seconds, 0)
                self.assertLess(weekday(r["time"]), 5, "no weekend bars")

    def test_every_timeframe_by_count_and_range(self):
        for tf in TF_SECONDS:
            with self.subTest(tf=tf):
                bars = self.b.ok("rates", {"symbol": "EURUSD", "timeframe": tf, "count": 12})
                self.assertEqual(len(bars), 12)
                self.check_bars(bars, tf)
                ranged = self.b.ok("rates", {"symbol": "EURUSD", "timeframe": tf, "from": bars[3]["time"],
                                             "to": bars[8]["time"]})
                self.assertEqual(ranged, bars[3:9])  # both ends inclusive, same numbers

    def test_daily_bars_open_at_server_midnight(self):
        bars = self.b.ok("rates", {"symbol": "XAUUSD", "timeframe": "D1", "from": self.now_server - 10 * 86400,
                                   "to": self.now_server})
        self.assertEqual(len(bars), 8)  # 8 weekdays in the window, Wednesday's bar still forming
        self.check_bars(bars, "D1")

    def test_range_never_returns_future_bars(self):
        bars = self.b.ok("rates", {"symbol": "US30", "timeframe": "H1", "from": self.now_server - 3 * 3600,
                                   "to": self.now_server + 30 * 86400})
        self.assertEqual([r["time"] for r in bars], [self.now_server - 3 * 3600 + i * 3600 for i in range(4)])


if __name__ == "__main__":
    unittest.main()
