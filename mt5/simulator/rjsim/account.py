"""One simulated trading account: replays scenario events (and an optional
seeded generator) into deals, history orders and open positions, exactly in
the shapes the official package returns."""
from __future__ import annotations

import bisect

from . import constants as C
from .clock import offset_function, parse_offset
from .symbols import USD_PER_UNIT
from .types import TradeDeal, TradeOrder, TradePosition

MARGIN_MODES = {"netting": C.ACCOUNT_MARGIN_MODE_RETAIL_NETTING,
                "exchange": C.ACCOUNT_MARGIN_MODE_EXCHANGE,
                "hedging": C.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING}
TRADE_MODES = {"demo": C.ACCOUNT_TRADE_MODE_DEMO, "contest": C.ACCOUNT_TRADE_MODE_CONTEST,
               "real": C.ACCOUNT_TRADE_MODE_REAL}
REASONS = ("CLIENT", "MOBILE", "WEB", "EXPERT", "SL", "TP", "SO")


class ScenarioError(ValueError):
    pass


class Position:
    __slots__ = ("key", "ticket", "identifier", "symbol", "type", "volume", "price_open", "sl", "tp",
                 "time", "time_msc", "time_update", "time_update_msc", "magic", "reason", "comment",
                 "swap")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


def _side(value) -> int:
    if value in ("buy", 0):
        return C.DEAL_TYPE_BUY
    if value in ("sell", 1):
        return C.DEAL_TYPE_SELL
    raise ScenarioError(f"side must be buy or sell, not {value!r}")


def _reason(name: str, prefix: str) -> int:
    key = (name or "client").upper()
    if key not in REASONS:
        raise ScenarioError(f"unknown reason {name!r}")
    return getattr(C, prefix + key)


class Account:
    def __init__(self, spec: dict, terminal):
        self.t = terminal
        try:
            self.login = int(spec["login"])
            self.server = spec["server"]
            self.investor_password = spec["investor_password"]
        except KeyError as exc:
            raise ScenarioError(f"account needs {exc}") from None
        self.master_password = spec.get("master_password")
        self.name = spec.get("name", f"Trader {self.login}")
        self.company = spec.get("company", terminal.servers[self.server].get("company", "RawJournal Simulated Markets Ltd"))
        self.currency = spec.get("currency", "USD")
        self.leverage = int(spec.get("leverage", 100))
        self.margin_mode = MARGIN_MODES[spec.get("margin_mode", "hedging")]
        self.trade_mode = TRADE_MODES[spec.get("trade_mode", "demo")]
        self.commission_per_lot = float(spec.get("commission_per_lot", 0.0))
        self.commission_on = spec.get("commission_on", "both")
        self.zone = terminal.servers[self.server].get("zone", "NY+7")
        self._offset = offset_function(self.zone)
        base = int(spec.get("ticket_base", 10_000_000 + (self.login % 1000) * 100_000))
        self._next_deal = base
        self._next_order = base + 50_000_000
        self._last_msc = 0
        self.deals: list = []
        self._deal_times: list = []
        self.deals_by_position: dict = {}
        self.deals_by_order: dict = {}
        self.orders: list = []
        self._order_times: list = []
        self.orders_by_position: dict = {}
        self.positions: dict = {}  # key -> Position (hedging: scenario id; netting: symbol)
        self.balance = 0.0
        self.credit = 0.0
        events = []
        for i, ev in enumerate(spec.get("events", [])):
            events.append((parse_offset(ev.get("at", 0)), i, ev))
        events.sort(key=lambda e: (e[0], e[1]))
        self._events = events
        self._cursor = 0
        self.generator = None
        if spec.get("generator"):
            from .generator import Generator
            self.generator = Generator(spec["generator"], self)

    # ---- time -----------------------------------------------------------------
    def server_time(self, utc: float) -> float:
        return utc + self._offset(utc)

    def _stamp(self, at: float):
        utc = self.t.clock.start_utc + at
        server = self.server_time(utc)
        msc = max(int(server * 1000), self._last_msc + 1)
        self._last_msc = msc
        return msc // 1000, msc, utc

    def advance(self, elapsed: float) -> None:
        """Apply every event due at or before `elapsed` seconds since the start."""
        while True:
            nxt_static = self._events[self._cursor][0] if self._cursor < len(self._events) else None
            nxt_gen = self.generator.next_at if self.generator else None
            candidates = [x for x in (nxt_static, nxt_gen) if x is not None and x <= elapsed]
            if not candidates:
                return
            if nxt_static is not None and nxt_static in candidates and (nxt_gen is None or nxt_static <= nxt_gen):
                at, _, ev = self._events[self._cursor]
                self._cursor += 1
                self.apply(at, ev)
            else:
                at, ev = self.generator.take(self)
                if ev is not None:
                    self.apply(at, ev)

    # ---- market helpers ---------------------------------------------------------
    def symbol(self, name):
        spec = self.t.symbols.get(name)
        if spec is None:
            raise ScenarioError(f"unknown symbol {name!r}")
        return spec

    def market_price(self, name: str, utc: float) -> float:
        return self.t.model(name).price(utc)

    def to_account_ccy(self, amount: float, ccy: str, sym: dict, price: float) -> float:
        acct = self.currency
        if ccy == acct:
            return amount
        if sym["currency_base"] == acct and sym["currency_profit"] == ccy and price:
            return amount / price
        return amount * USD_PER_UNIT[ccy] / USD_PER_UNIT[acct]

    def pnl(self, sym: dict, side: int, volume: float, price_open: float, price_close: float) -> float:
        sign = 1.0 if side == C.DEAL_TYPE_BUY else -1.0
        diff = (price_close - price_open) * sign
        if sym.get("calc_mode") == "FUTURES":
            raw = diff * sym.get("tick_value", 1.0) / sym.get("tick_size", 10 ** -sym["digits"]) * volume
            return round(raw, 2)
        raw = diff * sym["contract_size"] * volume
        return round(self.to_account_ccy(raw, sym["currency_profit"], sym, price_close), 2)

    def _commission(self, ev: dict, volume: float, leg: str) -> float:
        if "commission" in ev:
            return float(ev["commission"])
        if self.commission_on in ("both", leg):
            return round(self.commission_per_lot * volume, 2)
        return 0.0

    # ---- records ----------------------------------------------------------------
    def _add_order(self, stamp, type_, position_id, volume, price, symbol, reason, magic=0, comment="",
                   sl=0.0, tp=0.0, position_by_id=0):
        ticket = self._next_order
        self._next_order += 1
        t, msc, _ = stamp
        order = TradeOrder(ticket, t, msc, t, msc, 0, type_, C.ORDER_TIME_GTC, C.ORDER_FILLING_FOK,
                           C.ORDER_STATE_FILLED, magic, position_id or ticket, position_by_id, reason,
                           float(volume), 0.0, float(price), float(sl or 0.0), float(tp or 0.0),
                           float(price), 0.0, symbol, comment, "")
        return order

    def _store_order(self, order):
        self.orders.append(order)
        self._order_times.append(order.time_setup)
        self.orders_by_position.setdefault(order.position_id, []).append(order)
        if order.position_by_id:
            self.orders_by_position.setdefault(order.position_by_id, []).append(order)

    def _add_deal(self, stamp, order, type_, entry, position_id, symbol, volume=0.0, price=0.0,
                  profit=0.0, commission=0.0, swap=0.0, fee=0.0, reason=C.DEAL_REASON_CLIENT, magic=0,
                  comment=""):
        ticket = self._next_deal
        self._next_deal += 1
        t, msc, _ = stamp
        deal = TradeDeal(ticket, order, t, msc, type_, entry, magic, position_id, reason, float(volume),
                         float(price), float(commission), float(swap), float(profit), float(fee), symbol,
                         comment, "")
        self.deals.append(deal)
        self._deal_times.append(t)
        if position_id:
            self.deals_by_position.setdefault(position_id, []).append(deal)
        if order:
            self.deals_by_order.setdefault(order, []).append(deal)
        self.balance = round(self.balance + profit + commission + swap + fee, 2)
        return deal

    # ---- events -----------------------------------------------------------------
    def apply(self, at: float, ev: dict) -> None:
        kind = ev.get("type")
        handler = getattr(self, "_ev_" + str(kind), None)
        if handler is None:
            raise ScenarioError(f"account {self.login}: unknown event type {kind!r}")
        handler(at, ev)

    def _ev_deposit(self, at, ev):
        amount = float(ev["amount"])
        comment = ev.get("comment", "Deposit" if amount >= 0 else "Withdrawal")
        self._add_deal(self._stamp(at), 0, C.DEAL_TYPE_BALANCE, C.DEAL_ENTRY_IN, 0, "", profit=amount,
                       comment=comment)

    _ev_withdrawal = _ev_deposit

    def _ev_ledger(self, at, ev):
        name = ev["deal_type"].upper()
        type_ = getattr(C, "DEAL_TYPE_" + name, getattr(C, "DEAL_" + name, None))
        if type_ is None:
            raise ScenarioError(f"unknown deal_type {name!r}")
        amount = float(ev["amount"])
        if type_ == C.DEAL_TYPE_CREDIT:
            self.credit = round(self.credit + amount, 2)
            self._add_deal(self._stamp(at), 0, type_, C.DEAL_ENTRY_IN, 0, "", profit=amount,
                           comment=ev.get("comment", ""))
            self.balance = round(self.balance - amount, 2)  # credit is not balance
            return
        self._add_deal(self._stamp(at), 0, type_, C.DEAL_ENTRY_IN, 0, "", profit=amount,
                       comment=ev.get("comment", ""))

    def _ev_open(self, at, ev):
        if self.margin_mode != C.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING:
            return self._ev_trade(at, ev)
        key = str(ev["id"])
        if key in self.positions:
            raise ScenarioError(f"position {key!r} is already open")
        sym = self.symbol(ev["symbol"])
        stamp = self._stamp(at)
        side = _side(ev["side"])
        volume = float(ev["volume"])
        price = float(ev["price"]) if "price" in ev else self.market_price(sym["name"], stamp[2])
        magic = int(ev.get("magic", 0))
        comment = ev.get("comment", "")
        order = self._add_order(stamp, side, 0, volume, price, sym["name"],
                                _reason(ev.get("reason"), "ORDER_REASON_"), magic, comment,
                                ev.get("sl", 0.0), ev.get("tp", 0.0))
        pid = order.ticket
        self._store_order(order)
        self._add_deal(stamp, pid, side, C.DEAL_ENTRY_IN, pid, sym["name"], volume, price,
                       commission=self._commission(ev, volume, "in"),
                       reason=_reason(ev.get("reason"), "DEAL_REASON_"), magic=magic, comment=comment)
        self.positions[key] = Position(
            key=key, ticket=pid, identifier=pid, symbol=sym["name"], type=side, volume=volume,
            price_open=price, sl=float(ev.get("sl", 0.0)), tp=float(ev.get("tp", 0.0)), time=stamp[0],
            time_msc=stamp[1], time_update=stamp[0], time_update_msc=stamp[1], magic=magic,
            reason=_reason(ev.get("reason") if ev.get("reason") in ("mobile", "web", "expert") else "client",
                           "POSITION_REASON_"),
            comment=comment, swap=0.0)

    def _close_price(self, pos, ev, utc):
        if "price" in ev:
            return float(ev["price"])
        reason = ev.get("reason", "client")
        if reason == "sl" and pos.sl:
            return pos.sl
        if reason == "tp" and pos.tp:
            return pos.tp
        return self.market_price(pos.symbol, utc)

    def _ev_close(self, at, ev):
        key = str(ev["id"]) if "id" in ev else str(ev.get("symbol"))
        pos = self.positions.get(key)
        if pos is None:
            raise ScenarioError(f"account {self.login}: no open position {key!r} to close")
        stamp = self._stamp(at)
        volume = min(float(ev.get("volume", pos.volume)), pos.volume)
        price = self._close_price(pos, ev, stamp[2])
        reason = ev.get("reason", "client")
        comment = ev.get("comment")
        if comment is None:
            comment = f"[{reason} {price:.{self.symbol(pos.symbol)['digits']}f}]" if reason in ("sl", "tp") else ""
        out_side = C.DEAL_TYPE_SELL if pos.type == C.DEAL_TYPE_BUY else C.DEAL_TYPE_BUY
        order = self._add_order(stamp, out_side, pos.identifier, volume, price, pos.symbol,
                                _reason(reason, "ORDER_REASON_"), pos.magic, comment)
        self._store_order(order)
        profit = float(ev["profit"]) if "profit" in ev else self.pnl(self.symbol(pos.symbol), pos.type, volume,
                                                                      pos.price_open, price)
        self._add_deal(stamp, order.ticket, out_side, C.DEAL_ENTRY_OUT, pos.identifier, pos.symbol, volume,
                       price, profit=profit, commission=self._commission(ev, volume, "out"),
                       swap=float(ev.get("swap", 0.0)), fee=float(ev.get("fee", 0.0)),
                       reason=_reason(reason, "DEAL_REASON_"), magic=pos.magic, comment=comment)
        self._reduce(pos, volume, stamp)

    def _reduce(self, pos, volume, stamp):
        pos.volume = round(pos.volume - volume, 8)
        pos.time_update, pos.time_update_msc = stamp[0], stamp[1]
        if pos.volume <= 1e-9:
            del self.positions[pos.key]

    def _ev_close_by(self, at, ev):
        a = self.positions.get(str(ev["id"]))
        b = self.positions.get(str(ev["by"]))
        if a is None or b is None or a.symbol != b.symbol or a.type == b.type:
            raise ScenarioError(f"close_by needs two opposite open positions on one symbol: {ev}")
        stamp = self._stamp(at)
        volume = min(a.volume, b.volume)
        sym = self.symbol(a.symbol)
        comment = f"close #{a.identifier} by #{b.identifier}"
        order = self._add_order(stamp, C.ORDER_TYPE_CLOSE_BY, a.identifier, volume, 0.0, a.symbol,
                                C.ORDER_REASON_CLIENT, 0, comment, position_by_id=b.identifier)
        self._store_order(order)
        # both OUT_BY deals at the opening price of the `by` position: the
        # `by` leg books zero, the closed position books the whole result
        price = b.price_open
        for pos in (a, b):
            out_side = C.DEAL_TYPE_SELL if pos.type == C.DEAL_TYPE_BUY else C.DEAL_TYPE_BUY
            self._add_deal(stamp, order.ticket, out_side, C.DEAL_ENTRY_OUT_BY, pos.identifier, pos.symbol,
                           volume, price, profit=self.pnl(sym, pos.type, volume, pos.price_open, price),
                           reason=C.DEAL_REASON_CLIENT, magic=pos.magic, comment=comment)
        for pos in (a, b):
            self._reduce(pos, volume, stamp)

    def _ev_modify(self, at, ev):
        pos = self.positions.get(str(ev.get("id", ev.get("symbol"))))
        if pos is None:
            raise ScenarioError(f"modify: no open position {ev}")
        stamp = self._stamp(at)
        if "sl" in ev:
            pos.sl = float(ev["sl"])
        if "tp" in ev:
            pos.tp = float(ev["tp"])
        pos.time_update, pos.time_update_msc = stamp[0], stamp[1]

    def _ev_trade(self, at, ev):
        """Netting/exchange accounts: one position per symbol; IN, OUT or INOUT."""
        sym = self.symbol(ev["symbol"])
        key = sym["name"]
        stamp = self._stamp(at)
        side = _side(ev["side"])
        volume = float(ev["volume"])
        price = float(ev["price"]) if "price" in ev else self.market_price(key, stamp[2])
        magic = int(ev.get("magic", 0))
        reason = ev.get("reason", "client")
        comment = ev.get("comment", "")
        pos = self.positions.get(key)
        order = self._add_order(stamp, side, pos.identifier if pos else 0, volume, price, key,
                                _reason(reason, "ORDER_REASON_"), magic, comment,
                                ev.get("sl", 0.0), ev.get("tp", 0.0))
        self._store_order(order)
        deal_reason = _reason(reason, "DEAL_REASON_")
        if pos is None:
            pid = order.ticket
            self._add_deal(stamp, order.ticket, side, C.DEAL_ENTRY_IN, pid, key, volume, price,
                           commission=self._commission(ev, volume, "in"), reason=deal_reason, magic=magic,
                           comment=comment)
            self.positions[key] = Position(
                key=key, ticket=pid, identifier=pid, symbol=key, type=side, volume=volume, price_open=price,
                sl=float(ev.get("sl", 0.0)), tp=float(ev.get("tp", 0.0)), time=stamp[0], time_msc=stamp[1],
                time_update=stamp[0], time_update_msc=stamp[1], magic=magic, reason=C.POSITION_REASON_CLIENT,
                comment=comment, swap=0.0)
            return
        if side == pos.type:  # scale-in
            self._add_deal(stamp, order.ticket, side, C.DEAL_ENTRY_IN, pos.identifier, key, volume, price,
                           commission=self._commission(ev, volume, "in"), reason=deal_reason, magic=magic,
                           comment=comment)
            total = pos.volume + volume
            pos.price_open = round((pos.price_open * pos.volume + price * volume) / total, sym["digits"] + 3)
            pos.volume = round(total, 8)
            pos.time_update, pos.time_update_msc = stamp[0], stamp[1]
            return
        closing = min(volume, pos.volume)
        profit = float(ev["profit"]) if "profit" in ev else self.pnl(sym, pos.type, closing, pos.price_open, price)
        if volume <= pos.volume + 1e-9:
            self._add_deal(stamp, order.ticket, side, C.DEAL_ENTRY_OUT, pos.identifier, key, volume, price,
                           profit=profit, commission=self._commission(ev, volume, "out"),
                           swap=float(ev.get("swap", 0.0)), reason=deal_reason, magic=magic, comment=comment)
            self._reduce(pos, volume, stamp)
            return
        # reversal: one INOUT deal; the identifier survives, the ticket changes
        self._add_deal(stamp, order.ticket, side, C.DEAL_ENTRY_INOUT, pos.identifier, key, volume, price,
                       profit=profit, commission=self._commission(ev, volume, "out"),
                       swap=float(ev.get("swap", 0.0)), reason=deal_reason, magic=magic, comment=comment)
        pos.type = side
        pos.volume = round(volume - pos.volume, 8)
        pos.price_open = price
        pos.ticket = order.ticket
        pos.sl = float(ev.get("sl", 0.0))
        pos.tp = float(ev.get("tp", 0.0))
        pos.time_update, pos.time_update_msc = stamp[0], stamp[1]

    # ---- queries (the terminal calls advance() first) ---------------------------
    def deals_between(self, t_from: float, t_to: float):
        lo = bisect.bisect_left(self._deal_times, t_from)
        hi = bisect.bisect_right(self._deal_times, t_to)
        return self.deals[lo:hi]

    def orders_between(self, t_from: float, t_to: float):
        lo = bisect.bisect_left(self._order_times, t_from)
        hi = bisect.bisect_right(self._order_times, t_to)
        return self.orders[lo:hi]

    def open_positions(self, utc: float):
        out = []
        for pos in self.positions.values():
            sym = self.symbol(pos.symbol)
            current = self.market_price(pos.symbol, utc)
            out.append(TradePosition(
                pos.ticket, pos.time, pos.time_msc, pos.time_update, pos.time_update_msc, pos.type,
                pos.magic, pos.identifier, pos.reason, pos.volume, pos.price_open, pos.sl, pos.tp, current,
                pos.swap, self.pnl(sym, pos.type, pos.volume, pos.price_open, current), pos.symbol,
                pos.comment, ""))
        out.sort(key=lambda p: p.time_msc)
        return out

    def margin(self, utc: float) -> float:
        total = 0.0
        for pos in self.positions.values():
            sym = self.symbol(pos.symbol)
            price = self.market_price(pos.symbol, utc)
            notional = pos.volume * sym["contract_size"] * (price if sym["calc_mode"] != "FOREX" else 1.0)
            ccy = sym["currency_margin"] if sym["calc_mode"] == "FOREX" else sym["currency_profit"]
            total += self.to_account_ccy(notional, ccy, sym, price) / self.leverage
        return round(total, 2)
