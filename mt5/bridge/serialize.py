"""MT5 records -> JSON-ready dicts.

* floats -> decimal strings from Python's shortest round-trip repr
  (11.91 -> "11.91", 1e-05 -> "0.00001"); NaN/inf -> null
* enum fields keep their number and gain `<field>_name`, built from the
  `mt5.*` constants of the module in use (never from hard-coded numbers)
* rows may be namedtuples, mappings, plain tuples, or numpy structured arrays
"""
from decimal import Decimal
import math

RATE_FIELDS = ("time", "open", "high", "low", "close", "tick_volume", "spread", "real_volume")


def dec(value):
    """Float -> decimal string (shortest repr, never exponent notation)."""
    v = float(value)
    if not math.isfinite(v):
        return None
    text = repr(v)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    if text == "-0.0":
        text = "0.0"
    return text


# field -> (constant prefixes, constant suffixes) ; the name is the suffix, lowercased
_ENUMS = {
    "deal": {
        "type": (("DEAL_TYPE_", "DEAL_"), ("BUY", "SELL", "BALANCE", "CREDIT", "CHARGE", "CORRECTION", "BONUS",
                                           "COMMISSION", "COMMISSION_DAILY", "COMMISSION_MONTHLY",
                                           "COMMISSION_AGENT_DAILY", "COMMISSION_AGENT_MONTHLY", "INTEREST",
                                           "BUY_CANCELED", "SELL_CANCELED", "DIVIDEND", "DIVIDEND_FRANKED",
                                           "TAX")),
        "entry": (("DEAL_ENTRY_",), ("IN", "OUT", "INOUT", "OUT_BY")),
        "reason": (("DEAL_REASON_",), ("CLIENT", "MOBILE", "WEB", "EXPERT", "SL", "TP", "SO", "ROLLOVER",
                                       "VMARGIN", "SPLIT", "CORPORATE_ACTION")),
    },
    "position": {
        "type": (("POSITION_TYPE_",), ("BUY", "SELL")),
        "reason": (("POSITION_REASON_",), ("CLIENT", "MOBILE", "WEB", "EXPERT")),
    },
    "order": {
        "type": (("ORDER_TYPE_",), ("BUY", "SELL", "BUY_LIMIT", "SELL_LIMIT", "BUY_STOP", "SELL_STOP",
                                    "BUY_STOP_LIMIT", "SELL_STOP_LIMIT", "CLOSE_BY")),
        "state": (("ORDER_STATE_",), ("STARTED", "PLACED", "CANCELED", "PARTIAL", "FILLED", "REJECTED",
                                      "EXPIRED", "REQUEST_ADD", "REQUEST_MODIFY", "REQUEST_CANCEL")),
        "reason": (("ORDER_REASON_",), ("CLIENT", "MOBILE", "WEB", "EXPERT", "SL", "TP", "SO")),
        "type_filling": (("ORDER_FILLING_",), ("FOK", "IOC", "RETURN", "BOC")),
        "type_time": (("ORDER_TIME_",), ("GTC", "DAY", "SPECIFIED", "SPECIFIED_DAY")),
    },
    "account": {
        "trade_mode": (("ACCOUNT_TRADE_MODE_",), ("DEMO", "CONTEST", "REAL")),
        "margin_mode": (("ACCOUNT_MARGIN_MODE_",), ("RETAIL_NETTING", "EXCHANGE", "RETAIL_HEDGING")),
        "margin_so_mode": (("ACCOUNT_STOPOUT_MODE_",), ("PERCENT", "MONEY")),
    },
    "symbol": {
        "trade_calc_mode": (("SYMBOL_CALC_MODE_",), ("FOREX", "FUTURES", "CFD", "CFDINDEX", "CFDLEVERAGE",
                                                     "FOREX_NO_LEVERAGE", "EXCH_STOCKS", "EXCH_FUTURES",
                                                     "EXCH_FUTURES_FORTS", "EXCH_OPTIONS",
                                                     "EXCH_OPTIONS_MARGIN", "EXCH_BONDS", "EXCH_STOCKS_MOEX",
                                                     "EXCH_BONDS_MOEX", "SERV_COLLATERAL")),
        "trade_mode": (("SYMBOL_TRADE_MODE_",), ("DISABLED", "LONGONLY", "SHORTONLY", "CLOSEONLY", "FULL")),
    },
}


def build_enum_names(mt5):
    """{kind: {field: {value: name}}} from the constants the module defines."""
    out = {}
    for kind, fields in _ENUMS.items():
        out[kind] = {}
        for field, (prefixes, suffixes) in fields.items():
            mapping = {}
            for suffix in suffixes:
                for prefix in prefixes:
                    value = mt5.const(prefix + suffix)
                    if value is not None:
                        mapping.setdefault(value, suffix.lower())
                        break
            out[kind][field] = mapping
    return out


def _pairs(row, fields=None):
    if hasattr(row, "_fields"):
        return zip(row._fields, row)
    if isinstance(row, dict):
        return row.items()
    if hasattr(row, "_asdict"):
        return row._asdict().items()
    if fields is not None:
        return zip(fields, row)
    raise TypeError(f"cannot serialise {type(row).__name__}")


def _plain(value):
    t = type(value)
    if t is float:
        return dec(value)
    if t is int or t is str or t is bool or value is None:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return dec(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return str(value)


def record(row, enums=None, fields=None):
    out = {}
    for key, value in _pairs(row, fields):
        out[key] = _plain(value)
    if enums:
        for field, names in enums.items():
            if field in out:
                out[field + "_name"] = names.get(out[field])
    return out


def records(rows, enums=None):
    if rows is None:
        return []
    return [record(r, enums) for r in rows]


def rate_rows(rates):
    """copy_rates_* result -> list of dicts. Handles numpy structured arrays
    (and look-alikes with .dtype.names/.tolist()), sequences of mappings,
    namedtuples, or plain tuples in the documented field order."""
    if rates is None:
        return []
    names = getattr(getattr(rates, "dtype", None), "names", None)
    if names:
        return [{k: _plain(v) for k, v in zip(names, row)} for row in rates.tolist()]
    return [record(r, None, RATE_FIELDS) for r in rates]
