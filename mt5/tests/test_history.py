import os
import tempfile
import unittest

from helpers import FAR_FUTURE, HEDGING, NETTING, Bridge, by

START = 1772618400  # 2026-03-04T10:00:00Z, the default scenario's start
WINTER = 7200       # NY+7 server clock = GMT+2 that day
DEAL_FIELDS = ["ticket", "order", "time", "time_msc", "type", "entry", "magic", "position_id", "reason", "volume",
               "price", "commission", "swap", "profit", "fee", "symbol", "comment", "external_id"]


class HedgingHistoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Bridge()
        cls.b.ok("login", HEDGING)
        cls.deals = cls.b.ok("deals", {"from": 0, "to": FAR_FUTURE})

    @classmethod
    def tearDownClass(cls):
        cls.b.close()

    def test_deal_shape_uses_mt5_names_decimal_strings_and_enum_names(self):
        deal = by(self.deals, symbol="EURUSD", entry_name="in")[0]
        for field in DEAL_FIELDS:
            self.assertIn(field, deal)
        for field in ("volume", "price", "commission", "swap", "profit", "fee"):
            self.assertIsInstance(deal[field], str, field)
        for field in ("ticket", "order", "time", "time_msc", "type", "entry", "position_id", "reason"):
            self.assertIsInstance(deal[field], int, field)
        self.assertEqual((deal["type_name"], deal["entry_name"], deal["reason_name"]), ("buy", "in", "client"))
        self.assertEqual((deal["volume"], deal["price"], deal["commission"]), ("0.1", "1.085", "-0.35"))

    def test_times_are_server_epochs(self):
        first = self.deals[0]
        self.assertEqual(first["time"], START - 480 * 3600 + WINTER)
        self.assertEqual(first["time_msc"] // 1000, first["time"])
        times = [d["time_msc"] for d in self.deals]
        self.assertEqual(times, sorted(times))
        self.assertTrue(all(d["time"] <= START + WINTER for d in self.deals))

    def test_deposits_withdrawals_and_ledger_rows(self):
        balance = by(self.deals, type_name="balance")
        self.assertEqual([d["profit"] for d in balance], ["10000.0", "-500.0"])
        self.assertTrue(all(d["position_id"] == 0 and d["symbol"] == "" for d in balance))
        self.assertEqual(balance[0]["comment"], "Client Demo Deposit")
        daily = by(self.deals, type_name="commission_daily")
        self.assertEqual([d["profit"] for d in daily], ["-1.25"])

    def test_partial_close_is_two_out_legs_of_one_position(self):
        pid = by(self.deals, symbol="EURUSD", entry_name="in")[0]["position_id"]
        legs = self.b.ok("deals", {"position": pid})
        self.assertEqual([(d["entry_name"], d["volume"]) for d in legs], [("in", "0.1"), ("out", "0.05"), ("out", "0.05")])
        self.assertEqual([d["profit"] for d in legs], ["0.0", "10.0", "40.0"])
        last = legs[-1]
        self.assertEqual((last["reason_name"], last["comment"], last["price"], last["swap"]),
                         ("tp", "[tp 1.09300]", "1.093", "-0.35"))
        orders = self.b.ok("orders", {"position": pid})
        self.assertEqual(len(orders), 3)
        self.assertEqual((orders[0]["tp"], orders[0]["sl"], orders[0]["state_name"]), ("1.093", "1.081", "filled"))
        self.assertEqual([o["type_name"] for o in orders], ["buy", "sell", "sell"])

    def test_stop_loss_close(self):
        out = by(self.deals, symbol="USDJPY", entry_name="out")[0]
        self.assertEqual((out["reason_name"], out["type_name"], out["price"], out["comment"]),
                         ("sl", "buy", "150.6", "[sl 150.600]"))
        self.assertEqual(out["profit"], "-66.4")  # 0.2 lot x 0.5 JPY x 100000 / 150.6

    def test_close_by_gives_each_position_an_out_by_deal(self):
        legs = by(self.deals, entry_name="out_by")
        self.assertEqual(len(legs), 2)
        self.assertNotEqual(legs[0]["position_id"], legs[1]["position_id"])
        self.assertEqual(legs[0]["order"], legs[1]["order"])
        self.assertEqual({d["type_name"] for d in legs}, {"buy", "sell"})
        self.assertEqual([d["volume"] for d in legs], ["0.3", "0.3"])
        # both legs at the opening price of the `by` position; the results add up
        self.assertEqual({d["price"] for d in legs}, {"2346.1"})
        self.assertEqual(sorted(d["profit"] for d in legs), ["0.0", "168.0"])
        buy_pid = by(legs, type_name="sell")[0]["position_id"]
        rest = self.b.ok("deals", {"position": buy_pid})
        self.assertEqual([(d["entry_name"], d["volume"]) for d in rest], [("in", "0.5"), ("out_by", "0.3"), ("out", "0.2")])
        self.assertEqual(rest[-1]["reason_name"], "expert")
        orders = self.b.ok("orders", {"position": buy_pid})
        close_by = by(orders, type_name="close_by")
        self.assertEqual(len(close_by), 1)
        self.assertEqual(close_by[0]["position_by_id"], by(legs, type_name="buy")[0]["position_id"])

    def test_deals_since_a_time(self):
        since = START + WINTER - 60 * 3600
        recent = self.b.ok("deals", {"from": since, "to": FAR_FUTURE})
        self.assertEqual([d["symbol"] for d in recent], ["US30", "EURUSD"])
        self.assertEqual(self.b.ok("deals", {"from": since, "to": FAR_FUTURE, "group": "EUR*"})[0]["symbol"], "EURUSD")
        self.assertEqual(self.b.ok("deals", {"from": 0, "to": 1}), [])
        self.assertEqual(self.b.ok("deals", {"position": 123456}), [])

    def test_open_positions(self):
        positions = self.b.ok("positions")
        self.assertEqual([p["symbol"] for p in positions], ["US30", "EURUSD"])
        eur = positions[1]
        self.assertEqual((eur["type_name"], eur["reason_name"], eur["volume"], eur["sl"], eur["tp"]),
                         ("buy", "mobile", "0.2", "1.075", "1.1"))
        self.assertEqual(eur["identifier"], eur["ticket"])
        for field in ("price_open", "price_current", "profit", "swap"):
            self.assertIsInstance(eur[field], str)
        self.assertEqual(self.b.ok("positions", {"symbol": "US30"})[0]["type_name"], "sell")


class NettingHistoryTest(unittest.TestCase):
    def test_scale_in_partial_and_inout_reversal(self):
        with Bridge() as b:
            b.ok("login", NETTING)
            deals = by(b.ok("deals", {"from": 0, "to": FAR_FUTURE}), symbol="EURUSD")
            self.assertEqual([(d["type_name"], d["entry_name"], d["volume"]) for d in deals],
                             [("buy", "in", "1.0"), ("buy", "in", "0.5"), ("sell", "out", "0.5"),
                              ("sell", "inout", "2.0"), ("buy", "out", "1.0")])
            self.assertEqual(len({d["position_id"] for d in deals}), 1)  # the identifier survives the reversal
            self.assertEqual([d["profit"] for d in deals], ["0.0", "0.0", "199.69", "491.1", "184.5"])  # EUR account
            self.assertEqual(deals[0]["commission"], "-2.0")
            orders = b.ok("orders", {"position": deals[0]["position_id"]})
            self.assertEqual(len(orders), 5)
            info = b.ok("account_info")
            self.assertEqual((info["margin_mode_name"], info["currency"], info["trade_mode_name"]),
                             ("retail_netting", "EUR", "real"))


class LiveDealsTest(unittest.TestCase):
    def test_deals_arrive_as_sim_advance_moves_the_clock(self):
        with Bridge() as b:
            b.ok("login", HEDGING)
            since = START + WINTER
            self.assertEqual(b.ok("deals", {"from": since, "to": FAR_FUTURE}), [])
            b.ok("sim_advance", {"seconds": 61})
            new = b.ok("deals", {"from": since, "to": FAR_FUTURE})
            self.assertEqual([(d["entry_name"], d["volume"]) for d in new], [("in", "0.3")])
            self.assertEqual(new[0]["time"], since + 60)
            b.ok("sim_advance", {"seconds": 200})
            new = b.ok("deals", {"from": since, "to": FAR_FUTURE})
            self.assertEqual([(d["type_name"], d["entry_name"]) for d in new],
                             [("sell", "in"), ("buy", "out"), ("balance", "in"), ("buy", "out")])
            self.assertEqual(len(b.ok("positions")), 2)

    def test_clock_file_drives_the_simulated_time(self):
        with tempfile.TemporaryDirectory() as tmp:
            clock = os.path.join(tmp, "clock")
            with open(clock, "w") as fh:
                fh.write("0")
            with Bridge(RAWJOURNAL_SIM_CLOCK_FILE=clock) as b:
                b.ok("login", HEDGING)
                since = START + WINTER
                self.assertEqual(b.ok("deals", {"from": since, "to": FAR_FUTURE}), [])
                with open(clock, "w") as fh:
                    fh.write("125")
                self.assertEqual(len(b.ok("deals", {"from": since, "to": FAR_FUTURE})), 2)
                self.assertEqual(len(b.ok("positions")), 3)
                with open(clock, "w") as fh:
                    fh.write("3600")
                self.assertEqual(len(b.ok("deals", {"from": since, "to": FAR_FUTURE})), 4)
                self.assertEqual(b.error("sim_advance", {"seconds": -1})["code"], "invalid_params")


if __name__ == "__main__":
    unittest.main()
