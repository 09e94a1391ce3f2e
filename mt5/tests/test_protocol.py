import json
import unittest

from helpers import HEDGING, Bridge


class ProtocolTest(unittest.TestCase):
    def setUp(self):
        self.b = Bridge()

    def tearDown(self):
        self.b.close()

    def test_hello_line_announces_protocol_and_methods(self):
        hello = self.b.hello
        self.assertIsNone(hello["id"])
        self.assertTrue(hello["ok"])
        self.assertEqual(hello["result"]["event"], "hello")
        self.assertEqual(hello["result"]["protocol"], 1)
        self.assertTrue(hello["result"]["simulator"])
        self.assertIn("sim_advance", hello["result"]["methods"])

    def test_ping_before_and_after_login(self):
        self.assertEqual(self.b.ok("ping"), {"pong": True, "initialized": False, "login": None, "server": None})
        self.b.ok("login", HEDGING)
        pong = self.b.ok("ping")
        self.assertEqual((pong["login"], pong["server"], pong["connected"]), (51000001, "RawBroker-Demo", True))

    def test_string_ids_are_echoed(self):
        self.b.send_raw(b'{"id":"abc-1","method":"ping"}\n')
        self.assertEqual(self.b.read()["id"], "abc-1")

    def test_malformed_lines_get_invalid_params_without_echo(self):
        self.b.send_raw(b'{"id":1,"method":"login","params":{"password":"leak-me-not"\n')
        resp = self.b.read()
        self.assertEqual((resp["id"], resp["ok"], resp["error"]["code"]), (None, False, "invalid_params"))
        self.assertNotIn("leak-me-not", json.dumps(resp))
        self.b.send_raw(b'[1,2]\n')
        self.assertEqual(self.b.read()["error"]["code"], "invalid_params")
        self.b.send_raw(b'{"id":7,"method":"ping","params":[1]}\n')
        self.assertEqual(self.b.read()["error"]["code"], "invalid_params")
        # blank lines are ignored, the bridge keeps serving
        self.b.send_raw(b'\n')
        self.assertTrue(self.b.ok("ping")["pong"])

    def test_reads_need_a_session(self):
        for method, params in [("account_info", None), ("positions", None), ("deals", {"from": 0, "to": 1}),
                               ("deals", {"position": 1}), ("orders", {"position": 1}),
                               ("symbol_info", {"symbol": "EURUSD"}), ("server_time_offset", None),
                               ("rates", {"symbol": "EURUSD", "timeframe": "H1", "count": 1})]:
            err = self.b.error(method, params)
            self.assertEqual(err["code"], "not_logged_in", method)
            self.assertIsNone(err["mt5_code"])

    def test_invalid_params(self):
        self.b.ok("login", HEDGING)
        cases = [("deals", {}), ("deals", {"from": "x", "to": 5}), ("deals", {"from": 10, "to": 5}),
                 ("deals", {"from": 1.5, "to": 5}), ("orders", {"position": True}),
                 ("rates", {"symbol": "EURUSD", "timeframe": "M2", "count": 5}),
                 ("rates", {"symbol": "EURUSD", "timeframe": "H1"}), ("symbol_info", {}),
                 ("login", {"login": 51000001, "server": "RawBroker-Demo"}),
                 ("login", {"login": "abc", "password": "p", "server": "RawBroker-Demo"})]
        for method, params in cases:
            self.assertEqual(self.b.error(method, params)["code"], "invalid_params", (method, params))

    def test_unknown_symbol_is_not_found(self):
        self.b.ok("login", HEDGING)
        err = self.b.error("symbol_info", {"symbol": "NOPE"})
        self.assertEqual((err["code"], err["mt5_code"]), ("not_found", -4))
        err = self.b.error("rates", {"symbol": "NOPE", "timeframe": "H1", "count": 2})
        self.assertEqual(err["code"], "not_found")

    def test_shutdown_answers_then_exits_cleanly(self):
        self.b.ok("login", HEDGING)
        self.assertEqual(self.b.ok("shutdown"), {"bye": True})
        self.assertEqual(self.b.proc.wait(timeout=10), 0)
        with self.assertRaises(EOFError):
            self.b.read(timeout=5)

    def test_eof_exits_cleanly(self):
        self.b.ok("login", HEDGING)
        self.b.proc.stdin.close()
        self.assertEqual(self.b.proc.wait(timeout=10), 0)

    def test_stdout_holds_only_protocol_lines(self):
        self.b.ok("login", HEDGING)
        self.b.ok("deals", {"from": 0, "to": 4_000_000_000})
        self.b.error("nope")
        self.b.ok("shutdown")
        self.b.proc.wait(timeout=10)
        for line in self.b.stdout_raw:
            obj = json.loads(line)
            self.assertIn("ok", obj)
            self.assertIn("id", obj)
            self.assertEqual(set(obj) - {"id", "ok", "result", "error"}, set())
        self.assertIn("login 51000001@RawBroker-Demo ok", self.b.stderr())


if __name__ == "__main__":
    unittest.main()
