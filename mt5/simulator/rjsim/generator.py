"""Seeded trading generator: a deterministic stream of deposits, opens, partial
closes and closes (SL/TP/manual) for one account, used by demo.json (history
plus live trading forever) and large.json (100 000 historical deals).

Spec (scenario `accounts[].generator`):
  seed            int (same seed -> same deals)
  symbols         list of symbol names (default: EURUSD, USDJPY, XAUUSD, GBPJPY, US30)
  initial_deposit amount of the first BALANCE deal (default 10000)
  history         {"from": "-60d", "interval": ["3h", "8h"]}   random gaps, or
                  {"from": "-730d", "deals": 100000}          exactly N deals before the start
  live            {"interval": [20, 40]}  events every 20-40 s from the start on, forever
  max_open        open positions at most (default 3)
A slot trades only symbols whose market is open at that moment (server time):
FX, metals and indices Monday-Friday, always-open symbols (crypto CFDs) every
day. A weekend slot of an account without crypto is skipped; one with crypto
opens and closes only crypto positions (FX positions wait for Monday), so the
demo keeps trading at the weekend as a real broker's crypto CFDs do.
"""
from __future__ import annotations

import random

from .clock import parse_offset
from .market import market_open


class Generator:
    def __init__(self, spec: dict, account):
        self.rng = random.Random(spec.get("seed", 1))
        self.account = account
        self.symbols = spec.get("symbols") or ["EURUSD", "USDJPY", "XAUUSD", "GBPJPY", "US30"]
        self.max_open = int(spec.get("max_open", 3))
        self.deposit = float(spec.get("initial_deposit", 10000))
        hist = spec.get("history") or {}
        live = spec.get("live")
        self.hist_from = parse_offset(hist.get("from", 0)) if hist else 0.0
        self.hist_deals = int(hist["deals"]) if "deals" in hist else None
        self.hist_interval = [parse_offset(x) for x in hist.get("interval", ["3h", "8h"])]
        self.live_interval = [parse_offset(x) for x in live["interval"]] if live else None
        self._seq = 0
        self._made = 0
        self._deposited = False
        if self.hist_deals:
            span = -self.hist_from
            self._step = span * (5 / 7) / self.hist_deals * 0.99
        self.next_at = self.hist_from if hist else (0.0 if live else None)

    def _advance_time(self, at: float) -> None:
        if at < 0:
            if self.hist_deals is not None:
                nxt = at + self._step * self.rng.uniform(0.7, 1.3)
                if self._made >= self.hist_deals:
                    nxt = 0.0
            else:
                nxt = at + self.rng.uniform(*self.hist_interval)
            if nxt >= 0:
                nxt = 0.0 if self.live_interval else None
            self.next_at = nxt
        else:
            self.next_at = at + self.rng.uniform(*self.live_interval) if self.live_interval else None

    def _open_symbols(self, account, utc: float) -> list:
        server = account.server_time(utc)
        return [s for s in self.symbols if market_open(server, account.t.model(s).always_open)]

    def take(self, account):
        at = self.next_at
        ev = None
        in_history = at < 0
        tradable = self._open_symbols(account, account.t.clock.start_utc + at)
        skip = not tradable
        if not skip and (not in_history or self.hist_deals is None or self._made < self.hist_deals):
            ev = self._event(account, tradable)
            if ev is not None:
                self._made += 1
        self._advance_time(at)
        return at, ev

    def _event(self, account, tradable):
        rng = self.rng
        if not self._deposited:
            self._deposited = True
            return {"type": "deposit", "amount": self.deposit, "comment": "Initial deposit"}
        # Positions in a closed market can be neither closed nor counted against max_open until it opens.
        open_keys = [k for k in account.positions if k.startswith("g") and account.positions[k].symbol in tradable]
        roll = rng.random()
        if roll < 0.03:
            amount = rng.choice([100, 250, 500, 1000])
            return {"type": "deposit", "amount": float(amount), "comment": "Deposit"}
        if not open_keys or (len(open_keys) < self.max_open and roll < 0.5):
            self._seq += 1
            symbol = rng.choice(tradable)
            sym = account.symbol(symbol)
            lots = round(rng.choice([1, 2, 3, 5, 10, 20]) * sym["volume_min"], 2)
            side = rng.choice(["buy", "sell"])
            utc = account.t.clock.start_utc + self.next_at
            price = account.market_price(symbol, utc)
            dist = price * rng.uniform(0.002, 0.008)
            d = sym["digits"]
            sl = round(price - dist if side == "buy" else price + dist, d)
            tp = round(price + dist * rng.uniform(1.0, 2.5) if side == "buy" else price - dist * rng.uniform(1.0, 2.5), d)
            return {"type": "open", "id": f"g{self._seq}", "symbol": symbol, "side": side, "volume": lots,
                    "sl": sl if rng.random() < 0.8 else 0.0, "tp": tp if rng.random() < 0.7 else 0.0,
                    "reason": rng.choice(["client", "client", "mobile", "expert"]),
                    "magic": 0}
        key = rng.choice(open_keys)
        pos = account.positions[key]
        sym = account.symbol(pos.symbol)
        half = round(round(pos.volume / 2 / sym["volume_step"]) * sym["volume_step"], 2)
        if rng.random() < 0.3 and half >= sym["volume_min"] and pos.volume - half >= sym["volume_min"] - 1e-9:
            return {"type": "close", "id": key, "volume": half, "reason": "client"}
        r = rng.random()
        reason = "sl" if (r < 0.25 and pos.sl) else "tp" if (r < 0.5 and pos.tp) else "client"
        swap = round(-rng.uniform(0, 3) * pos.volume, 2) if rng.random() < 0.4 else 0.0
        return {"type": "close", "id": key, "reason": reason, "swap": swap}
