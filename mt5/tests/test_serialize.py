import sys
import types
import unittest
from collections import namedtuple

from helpers import MT5_DIR

sys.path.insert(0, MT5_DIR)
sys.path.insert(0, MT5_DIR + "/simulator")
from bridge.readonly import ReadOnlyMT5  # noqa: E402
from bridge.serialize import build_enum_names, dec, rate_rows, record  # noqa: E402
from rjsim import constants  # noqa: E402


class _DType:
    names = ("time", "open", "high", "low", "close", "tick_volume", "spread", "real_volume")


class FakeStructuredArray:
    """What numpy gives: iterating yields numpy.void rows; tolist() yields tuples."""
    dtype = _DType()

    def __init__(self, rows):
        self.rows = rows

    def tolist(self):
        return list(self.rows)

    def __iter__(self):
        raise AssertionError("use tolist(), numpy rows are not tuples")


class SerializeTest(unittest.TestCase):
    def test_decimal_strings(self):
        cases = {11.91: "11.91", 0.1 + 0.2: "0.30000000000000004", 1.085: "1.085", 1e-05: "0.00001",
                 -0.0: "0.0", 10000.0: "10000.0", 1e16: "10000000000000000.0", -2.5e-07: "-0.00000025",
                 150.6: "150.6", 0.01: "0.01"}
        for value, text in cases.items():
            self.assertEqual(dec(value), text, value)
        self.assertIsNone(dec(float("nan")))
        self.assertIsNone(dec(float("inf")))

    def test_rates_from_numpy_like_dicts_namedtuples_and_tuples(self):
        row = (1772582400, 1.09395, 1.10088, 1.09395, 1.09928, 40330, 8, 0)
        expected = [{"time": 1772582400, "open": "1.09395", "high": "1.10088", "low": "1.09395", "close": "1.09928",
                     "tick_volume": 40330, "spread": 8, "real_volume": 0}]
        Rate = namedtuple("Rate", _DType.names)
        self.assertEqual(rate_rows(FakeStructuredArray([row])), expected)
        self.assertEqual(rate_rows([dict(zip(_DType.names, row))]), expected)
        self.assertEqual(rate_rows([Rate(*row)]), expected)
        self.assertEqual(rate_rows([row]), expected)
        self.assertEqual(rate_rows(None), [])

    def test_enum_names_come_from_the_module_constants(self):
        module = types.ModuleType("MetaTrader5")
        for k, v in vars(constants).items():
            if k.isupper():
                setattr(module, k, v)
        names = build_enum_names(ReadOnlyMT5(module, simulator=False))
        self.assertEqual(names["deal"]["entry"], {0: "in", 1: "out", 2: "inout", 3: "out_by"})
        self.assertEqual(names["deal"]["type"][constants.DEAL_TYPE_COMMISSION_AGENT_MONTHLY], "commission_agent_monthly")
        self.assertEqual(names["deal"]["type"][constants.DEAL_TAX], "tax")
        self.assertEqual(names["deal"]["reason"][constants.DEAL_REASON_SO], "so")
        self.assertEqual(names["order"]["type"][constants.ORDER_TYPE_CLOSE_BY], "close_by")
        self.assertEqual(names["account"]["margin_mode"][constants.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING], "retail_hedging")
        self.assertEqual(names["symbol"]["trade_calc_mode"][constants.SYMBOL_CALC_MODE_EXCH_STOCKS], "exch_stocks")
        # a module with other numbers gets other names: nothing is hard-coded
        module.DEAL_ENTRY_IN, module.DEAL_ENTRY_OUT = 7, 8
        names = build_enum_names(ReadOnlyMT5(module, simulator=False))
        self.assertEqual((names["deal"]["entry"][7], names["deal"]["entry"][8]), ("in", "out"))
        Deal = namedtuple("Deal", "ticket type entry reason profit symbol")
        out = record(Deal(1, 0, 99, 4, 11.91, "EURUSD"), names["deal"])
        self.assertEqual(out, {"ticket": 1, "type": 0, "entry": 99, "reason": 4, "profit": "11.91", "symbol": "EURUSD",
                               "type_name": "buy", "entry_name": None, "reason_name": "sl"})


if __name__ == "__main__":
    unittest.main()
