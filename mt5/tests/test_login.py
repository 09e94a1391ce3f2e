import os
import time
import unittest

from helpers import ALL_PASSWORDS, HEDGING, HEDGING_2, LIVE, NETTING, Bridge


class LoginTest(unittest.TestCase):
    def setUp(self):
        self.b = Bridge()

    def tearDown(self):
        self.b.close()

    def test_investor_login_ok(self):
        res = self.b.ok("login", HEDGING)
        self.assertEqual(res["login"], 51000001)
        self.assertEqual(res["server"], "RawBroker-Demo")
        self.assertTrue(res["initialized"])
        self.assertFalse(res["switched_server"])
        self.assertFalse(res["trade_allowed"])
        self.assertEqual((res["margin_mode_name"], res["trade_mode_name"], res["currency"]),
                         ("retail_hedging", "demo", "USD"))
        self.assertIsInstance(res["elapsed_ms"], int)
        info = self.b.ok("account_info")
        self.assertEqual(info["login"], 51000001)
        self.assertIs(info["trade_allowed"], False)
        self.assertIsInstance(info["balance"], str)

    def test_wrong_password_is_auth_failed(self):
        err = self.b.error("login", dict(HEDGING, password="wrong-pass-123"))
        self.assertEqual((err["code"], err["mt5_code"]), ("auth_failed", -6))
        self.assertEqual(self.b.error("account_info")["code"], "not_logged_in")
        # after an initialize failure the next login initializes again and works
        self.assertTrue(self.b.ok("login", HEDGING)["initialized"])
        err = self.b.error("login", dict(HEDGING_2, password="wrong-pass-123"))
        self.assertEqual(err["code"], "auth_failed")
        self.assertEqual(self.b.error("deals", {"from": 0, "to": 1})["code"], "not_logged_in")

    def test_unknown_account_is_auth_failed(self):
        self.assertEqual(self.b.error("login", dict(HEDGING, login=999))["code"], "auth_failed")

    def test_master_password_is_refused(self):
        err = self.b.error("login", dict(HEDGING, password="master-51000001!"))
        self.assertEqual(err["code"], "trade_allowed")
        self.assertIsNone(err["mt5_code"])
        self.assertEqual(self.b.error("account_info")["code"], "not_logged_in")
        self.assertEqual(self.b.error("positions")["code"], "not_logged_in")
        # the bridge stays usable for a read-only login
        self.assertEqual(self.b.ok("login", HEDGING)["login"], 51000001)
        # master password after a good session: the good session is gone too
        self.assertEqual(self.b.error("login", dict(NETTING, password="master-62000001!"))["code"],
                         "trade_allowed")
        self.assertEqual(self.b.error("account_info")["code"], "not_logged_in")

    def test_unreachable_server_is_timeout(self):
        started = time.monotonic()
        err = self.b.error("login", {"login": 73000001, "password": "inv-73000001!", "server": "Dead-Server",
                                     "timeout_ms": 400})
        self.assertEqual((err["code"], err["mt5_code"]), ("timeout", -10005))
        self.assertLess(time.monotonic() - started, 5)

    def test_login_slower_than_timeout_is_timeout(self):
        err = self.b.error("login", dict(HEDGING, timeout_ms=50))
        self.assertEqual(err["code"], "timeout")

    def test_same_server_login_is_faster_than_a_server_switch(self):
        self.b.ok("login", HEDGING)
        same = self.b.ok("login", HEDGING_2)
        self.assertFalse(same["initialized"])
        self.assertFalse(same["switched_server"])
        switch = self.b.ok("login", NETTING)
        self.assertTrue(switch["switched_server"])
        back = self.b.ok("login", LIVE)
        self.assertTrue(back["switched_server"])
        self.assertLess(same["elapsed_ms"] * 3, switch["elapsed_ms"])
        self.assertLess(same["elapsed_ms"] * 3, back["elapsed_ms"])
        self.assertEqual(self.b.ok("account_info")["login"], 52000001)

    def test_password_never_reaches_stderr_or_responses(self):
        b = self.b
        b.ok("login", HEDGING)
        b.error("login", dict(HEDGING, password="wrong-pass-123"))
        b.error("login", dict(HEDGING, password="master-51000001!"))
        b.ok("login", HEDGING_2)
        b.ok("login", LIVE)
        b.ok("login", NETTING)
        b.error("login", dict(NETTING, password="master-62000001!"))
        b.error("login", {"login": 73000001, "password": "inv-73000001!", "server": "Dead-Server", "timeout_ms": 100})
        b.send_raw(b'{"id":99,"method":"login","params":{"password":"wrong-pass-123"\n')
        b.read()
        b.ok("shutdown")
        b.proc.wait(timeout=10)
        stderr = b.stderr()
        stdout = b"".join(b.stdout_raw).decode()
        self.assertIn("login", stderr)
        for password in ALL_PASSWORDS:
            self.assertNotIn(password, stderr)
            self.assertNotIn(password, stdout)

    def test_password_only_travels_on_stdin(self):
        # the bridge reads no argv and no password from the environment
        bridge_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bridge")
        for name in os.listdir(bridge_dir):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(bridge_dir, name), encoding="utf-8") as fh:
                source = fh.read()
            self.assertNotIn("sys.argv", source, name)
            for line in source.splitlines():
                if "environ" in line:
                    self.assertNotIn("PASS", line.upper(), f"{name}: {line}")


if __name__ == "__main__":
    unittest.main()
