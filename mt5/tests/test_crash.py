import json
import time
import unittest

from helpers import HEDGING, Bridge


class CrashTest(unittest.TestCase):
    def test_ipc_crash_answers_terminal_crashed_then_exits(self):
        # crash.json: the 6th API call finds the terminal dead
        with Bridge("crash") as b:
            b.ok("login", HEDGING)            # initialize + account_info
            b.ok("deals", {"from": 0, "to": 4_000_000_000})
            b.ok("ping")                      # terminal_info
            b.ok("positions")
            resp = b.request("account_info")  # call 6
            self.assertFalse(resp["ok"])
            self.assertEqual(resp["error"]["code"], "terminal_crashed")
            self.assertEqual(resp["error"]["mt5_code"], -10002)
            self.assertEqual(b.proc.wait(timeout=10), 3)
            with self.assertRaises(EOFError):
                b.read(timeout=5)
            with self.assertRaises((BrokenPipeError, OSError)):
                for _ in range(50):  # the pipe is gone: the next request is impossible
                    b.send_raw(json.dumps({"id": 99, "method": "ping"}).encode() + b"\n")
                    time.sleep(0.02)
            self.assertIn("terminal crashed", b.stderr())

    def test_ping_detects_a_dead_terminal(self):
        with Bridge(RAWJOURNAL_SIM_CRASH='{"mode": "ipc", "after_calls": 2}') as b:
            b.ok("login", HEDGING)
            err = b.error("ping")
            self.assertEqual(err["code"], "terminal_crashed")
            self.assertEqual(b.proc.wait(timeout=10), 3)

    def test_abrupt_process_death_without_an_answer(self):
        with Bridge(RAWJOURNAL_SIM_CRASH='{"mode": "exit", "after_calls": 2}') as b:
            b.ok("login", HEDGING)
            b.send_raw(b'{"id": 5, "method": "deals", "params": {"from": 0, "to": 10}}\n')
            with self.assertRaises(EOFError):
                b.read(timeout=10)
            self.assertEqual(b.proc.wait(timeout=10), 134)

    def test_crash_at_a_scenario_time(self):
        with Bridge(RAWJOURNAL_SIM_CRASH='{"mode": "ipc", "at": "90s"}') as b:
            b.ok("login", HEDGING)
            b.ok("sim_advance", {"seconds": 100})
            self.assertEqual(b.error("positions")["code"], "terminal_crashed")

    def test_hung_terminal_stops_answering(self):
        with Bridge(RAWJOURNAL_SIM_CRASH='{"mode": "hang", "after_calls": 2}') as b:
            b.ok("login", HEDGING)
            b.send_raw(b'{"id": 5, "method": "ping"}\n')
            import queue
            with self.assertRaises(queue.Empty):
                b.read(timeout=1.0)
            b.proc.kill()


if __name__ == "__main__":
    unittest.main()
