"""No trading call is reachable: by protocol, by the facade, by source, at runtime."""
import ast
import os
import re
import sys
import tempfile
import types
import unittest

from helpers import HEDGING, MT5_DIR, Bridge

sys.path.insert(0, MT5_DIR)
from bridge.readonly import READ_FUNCTIONS, ReadOnlyMT5  # noqa: E402
from bridge.server import Bridge as BridgeServer  # noqa: E402

TRADING = ["order_send", "order_check", "order_calc_margin", "order_calc_profit", "orders_get", "orders_total",
           "positions_close", "position_close", "close", "Close", "buy", "sell", "Buy", "Sell",
           "market_book_add", "market_book_get", "market_book_release", "symbol_select"]
BRIDGE_DIR = os.path.join(MT5_DIR, "bridge")


def bridge_sources():
    for name in sorted(os.listdir(BRIDGE_DIR)):
        if name.endswith(".py"):
            with open(os.path.join(BRIDGE_DIR, name), encoding="utf-8") as fh:
                yield name, fh.read()


class ReadOnlyTest(unittest.TestCase):
    def test_trading_methods_are_unknown(self):
        with Bridge() as b:
            b.ok("login", HEDGING)
            for name in TRADING + ["history_deals_get", "initialize", "__init__", "m_login", "methods",
                                   "_rawjournal_sim_advance", "", "PING"]:
                err = b.error(name, {"symbol": "EURUSD", "volume": 1.0, "action": 1})
                self.assertEqual(err["code"], "unknown_method", name)
            err = b.error(None)
            self.assertEqual(err["code"], "unknown_method")

    def test_the_module_is_never_asked_to_trade(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "calls")
            with Bridge(RAWJOURNAL_SIM_CALL_LOG=log) as b:
                b.ok("login", HEDGING)
                for method, params in [("account_info", None), ("positions", None),
                                       ("deals", {"from": 0, "to": 4_000_000_000}), ("orders", {"position": 78000000}),
                                       ("symbol_info", {"symbol": "EURUSD"}), ("server_time_offset", None),
                                       ("rates", {"symbol": "EURUSD", "timeframe": "H1", "count": 3}), ("ping", None)]:
                    b.ok(method, params)
                for name in TRADING:
                    b.error(name, {})
                b.ok("shutdown")
                b.proc.wait(timeout=10)
            with open(log, encoding="utf-8") as fh:
                called = set(fh.read().split())
        self.assertTrue(called)
        self.assertLessEqual(called, set(READ_FUNCTIONS))

    def test_facade_exposes_only_the_allow_list(self):
        calls = []
        fake = types.ModuleType("MetaTrader5")
        for name in READ_FUNCTIONS + tuple(TRADING):
            setattr(fake, name, lambda *a, _n=name, **k: calls.append(_n))
        fake.TRADE_ACTION_DEAL = 1
        fake.DEAL_TYPE_BUY = 0
        ro = ReadOnlyMT5(fake, simulator=False)
        for name in TRADING:
            with self.assertRaises(AttributeError):
                getattr(ro, name)
        with self.assertRaises(AttributeError):
            ro.order_send = print
        self.assertEqual(ro.DEAL_TYPE_BUY, 0)
        for name in READ_FUNCTIONS:
            self.assertNotIn(name, TRADING)
        # with the real package there is no simulator hook and no sim_advance method
        with self.assertRaises(AttributeError):
            ro._rawjournal_sim_advance
        server = BridgeServer(ro, out=open(os.devnull, "wb"), err=open(os.devnull, "w"))
        self.assertNotIn("sim_advance", server.methods)
        self.assertEqual(set(server.methods), {"login", "account_info", "positions", "deals", "orders", "symbol_info",
                                               "rates", "server_time_offset", "ping", "shutdown"})
        self.assertEqual(calls, [])

    def test_bridge_source_never_names_a_trading_function(self):
        forbidden = [r"\border_send", r"\border_check", r"\border_calc", r"\borders_get", r"\borders_total",
                     r"\bmarket_book", r"\bTRADE_ACTION", r"\bTRADE_RETCODE", r"\bsymbol_select",
                     r"\bpositions?_close", r"\bClose\(", r"\bBuy\(", r"\bSell\("]
        for name, source in bridge_sources():
            for pattern in forbidden:
                self.assertIsNone(re.search(pattern, source), f"{name} matches {pattern}")

    def test_bridge_never_reaches_the_module_dynamically(self):
        for name, source in bridge_sources():
            tree = ast.parse(source)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
                    target = node.args[0]
                    # getattr(module, ...) only in the facade (over READ_FUNCTIONS and
                    # SIM_HOOKS) and in the loader (reading the simulator flag)
                    if isinstance(target, ast.Name) and target.id in ("mt5", "module"):
                        if name == "loader.py":
                            self.assertEqual(ast.literal_eval(node.args[1]), "__rawjournal_simulator__")
                        else:
                            self.assertEqual(name, "readonly.py", f"{name}:{node.lineno} getattr on the module")
                            self.assertIsInstance(node.args[1], ast.Name)
                if isinstance(node, ast.Attribute) and node.attr == "__dict__":
                    self.fail(f"{name}:{node.lineno} uses __dict__")
        # server.py gets the module from load_mt5() and wraps it at once
        server = dict(bridge_sources())["server.py"]
        self.assertIn("Bridge(ReadOnlyMT5(module, simulator))", server)
        self.assertEqual(server.count("module, simulator = load_mt5()"), 1)

if __name__ == "__main__":
    unittest.main()
