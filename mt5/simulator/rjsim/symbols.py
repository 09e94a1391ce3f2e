"""Built-in symbol specifications; a scenario may list names, override fields,
or define new symbols ("like": "EURUSD" copies a built-in, e.g. for suffixes)."""

BUILTIN = {
    "EURUSD": dict(description="Euro vs US Dollar", path="Forex\\Majors\\EURUSD", calc_mode="FOREX",
                   digits=5, contract_size=100000.0, currency_base="EUR", currency_profit="USD",
                   currency_margin="EUR", base_price=1.085, spread=8, swap_long=-6.9, swap_short=1.2),
    "GBPUSD": dict(description="Great Britain Pound vs US Dollar", path="Forex\\Majors\\GBPUSD",
                   calc_mode="FOREX", digits=5, contract_size=100000.0, currency_base="GBP",
                   currency_profit="USD", currency_margin="GBP", base_price=1.27, spread=10,
                   swap_long=-4.1, swap_short=-0.6),
    "USDJPY": dict(description="US Dollar vs Japanese Yen", path="Forex\\Majors\\USDJPY", calc_mode="FOREX",
                   digits=3, contract_size=100000.0, currency_base="USD", currency_profit="JPY",
                   currency_margin="USD", base_price=150.1, spread=10, swap_long=14.2, swap_short=-29.5),
    "GBPJPY": dict(description="Great Britain Pound vs Japanese Yen", path="Forex\\Crosses\\GBPJPY",
                   calc_mode="FOREX", digits=3, contract_size=100000.0, currency_base="GBP",
                   currency_profit="JPY", currency_margin="GBP", base_price=191.2, spread=25,
                   swap_long=9.8, swap_short=-31.0),
    "XAUUSD": dict(description="Gold vs US Dollar", path="Metals\\XAUUSD", calc_mode="CFD", digits=2,
                   contract_size=100.0, currency_base="XAU", currency_profit="USD", currency_margin="USD",
                   base_price=2350.0, spread=25, swap_long=-45.0, swap_short=12.0),
    "US30": dict(description="Dow Jones Industrial Average Index", path="Indices\\US30",
                 calc_mode="CFDINDEX", digits=1, contract_size=1.0, currency_base="USD",
                 currency_profit="USD", currency_margin="USD", base_price=39200.0, spread=20,
                 swap_long=-9.5, swap_short=-4.2, volume_min=0.1, volume_step=0.1),
    # Crypto CFDs: 1 coin per lot, traded around the clock, weekends included, as
    # MT5 brokers offer them.
    "BTCUSD": dict(description="Bitcoin vs US Dollar", path="Crypto\\BTCUSD", calc_mode="CFD", digits=2,
                   contract_size=1.0, currency_base="BTC", currency_profit="USD", currency_margin="USD",
                   base_price=65000.0, spread=1500, swap_long=-20.0, swap_short=-20.0, always_open=True,
                   volatility=2.0),
    "ETHUSD": dict(description="Ethereum vs US Dollar", path="Crypto\\ETHUSD", calc_mode="CFD", digits=2,
                   contract_size=1.0, currency_base="ETH", currency_profit="USD", currency_margin="USD",
                   base_price=3400.0, spread=150, swap_long=-2.0, swap_short=-2.0, always_open=True,
                   volatility=2.0),
}

DEFAULTS = dict(volume_min=0.01, volume_max=100.0, volume_step=0.01, volatility=1.0)

# USD value of one unit of each currency, for profit conversion when neither
# side of the symbol is the account currency (GBPJPY on a USD account).
USD_PER_UNIT = {"USD": 1.0, "EUR": 1.085, "GBP": 1.27, "JPY": 1 / 150.1, "CHF": 1.12,
                "CAD": 0.73, "AUD": 0.66, "NZD": 0.61, "XAU": 2350.0,
                "BTC": 65000.0, "ETH": 3400.0}


def resolve(symbols_spec):
    """{name: spec} from a scenario's `symbols` (a list of names or a dict of overrides)."""
    if symbols_spec is None:
        symbols_spec = list(BUILTIN)
    if isinstance(symbols_spec, list):
        symbols_spec = {name: {} for name in symbols_spec}
    out = {}
    for name, overrides in symbols_spec.items():
        like = (overrides or {}).get("like", name)
        if like not in BUILTIN and not overrides:
            raise ValueError(f"unknown symbol {name!r}: give its fields or 'like'")
        spec = dict(DEFAULTS)
        spec.update(BUILTIN.get(like, {}))
        spec.update({k: v for k, v in (overrides or {}).items() if k != "like"})
        spec["name"] = name
        out[name] = spec
    return out
