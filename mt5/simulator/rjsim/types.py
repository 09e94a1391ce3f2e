"""Result types with the field names (and order) of the official package."""
from collections import namedtuple

TradeDeal = namedtuple("TradeDeal", [
    "ticket", "order", "time", "time_msc", "type", "entry", "magic", "position_id", "reason",
    "volume", "price", "commission", "swap", "profit", "fee", "symbol", "comment", "external_id",
])
TradePosition = namedtuple("TradePosition", [
    "ticket", "time", "time_msc", "time_update", "time_update_msc", "type", "magic", "identifier",
    "reason", "volume", "price_open", "sl", "tp", "price_current", "swap", "profit", "symbol",
    "comment", "external_id",
])
TradeOrder = namedtuple("TradeOrder", [
    "ticket", "time_setup", "time_setup_msc", "time_done", "time_done_msc", "time_expiration",
    "type", "type_time", "type_filling", "state", "magic", "position_id", "position_by_id", "reason",
    "volume_initial", "volume_current", "price_open", "sl", "tp", "price_current",
    "price_stoplimit", "symbol", "comment", "external_id",
])
AccountInfo = namedtuple("AccountInfo", [
    "login", "trade_mode", "leverage", "limit_orders", "margin_so_mode", "trade_allowed",
    "trade_expert", "margin_mode", "currency_digits", "fifo_close", "balance", "credit", "profit",
    "equity", "margin", "margin_free", "margin_level", "margin_so_call", "margin_so_so",
    "margin_initial", "margin_maintenance", "assets", "liabilities", "commission_blocked", "name",
    "server", "currency", "company",
])
TerminalInfo = namedtuple("TerminalInfo", [
    "community_account", "community_connection", "connected", "dlls_allowed", "trade_allowed",
    "tradeapi_disabled", "email_enabled", "ftp_enabled", "notifications_enabled", "mqid", "build",
    "maxbars", "codepage", "ping_last", "community_balance", "retransmission", "company", "name",
    "language", "path", "data_path", "commondata_path",
])
Tick = namedtuple("Tick", ["time", "bid", "ask", "last", "volume", "time_msc", "flags", "volume_real"])
SymbolInfo = namedtuple("SymbolInfo", [
    "custom", "chart_mode", "select", "visible", "session_deals", "session_buy_orders",
    "session_sell_orders", "volume", "volumehigh", "volumelow", "time", "digits", "spread",
    "spread_float", "ticks_bookdepth", "trade_calc_mode", "trade_mode", "start_time",
    "expiration_time", "trade_stops_level", "trade_freeze_level", "trade_exemode", "swap_mode",
    "swap_rollover3days", "margin_hedged_use_leg", "expiration_mode", "filling_mode", "order_mode",
    "order_gtc_mode", "bid", "ask", "last", "point", "trade_tick_value", "trade_tick_value_profit",
    "trade_tick_value_loss", "trade_tick_size", "trade_contract_size", "volume_min", "volume_max",
    "volume_step", "volume_limit", "swap_long", "swap_short", "margin_initial",
    "margin_maintenance", "margin_hedged", "currency_base", "currency_profit", "currency_margin",
    "description", "path", "name",
])
RATE_FIELDS = ("time", "open", "high", "low", "close", "tick_volume", "spread", "real_volume")


class _DType:
    def __init__(self, names):
        self.names = tuple(names)


class RateArray:
    """A numpy-free stand-in for the structured array copy_rates_* return:
    `.dtype.names`, `len()`, indexing, iteration over rows and `.tolist()`."""

    def __init__(self, rows):
        self._rows = list(rows)
        self.dtype = _DType(RATE_FIELDS)

    def __len__(self):
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    def __getitem__(self, index):
        return self._rows[index]

    def tolist(self):
        return list(self._rows)
