"""The only view of the MetaTrader5 module the bridge ever holds.

ReadOnlyMT5 copies an explicit allow-list of read functions and the constants
out of the module; nothing else, and so no trading function, is reachable
through it. tests/test_readonly.py checks the list and scans the bridge source.
"""

READ_FUNCTIONS = (
    "initialize", "login", "shutdown", "last_error", "version", "terminal_info", "account_info",
    "positions_get", "history_deals_get", "history_orders_get", "symbol_info", "symbol_info_tick",
    "symbols_get", "copy_rates_range", "copy_rates_from_pos",
)

SIM_HOOKS = ("_rawjournal_sim_advance", "_rawjournal_utc_now")


class ReadOnlyMT5:
    __slots__ = ("_fns", "_consts", "simulator")

    def __init__(self, module, simulator: bool):
        fns = {}
        for name in READ_FUNCTIONS:
            fn = getattr(module, name, None)
            if fn is not None:
                fns[name] = fn
        if simulator:
            for name in SIM_HOOKS:
                fns[name] = getattr(module, name)
        consts = {k: v for k, v in vars(module).items()
                  if k.isupper() and isinstance(v, int) and not isinstance(v, bool)}
        object.__setattr__(self, "_fns", fns)
        object.__setattr__(self, "_consts", consts)
        object.__setattr__(self, "simulator", simulator)

    def __getattr__(self, name):
        fns = object.__getattribute__(self, "_fns")
        if name in fns:
            return fns[name]
        consts = object.__getattribute__(self, "_consts")
        if name in consts:
            return consts[name]
        raise AttributeError(f"{name} is not available to the read-only bridge")

    def const(self, name, default=None):
        return self._consts.get(name, default)

    def constants(self):
        return dict(self._consts)

    def __setattr__(self, name, value):
        raise AttributeError("read-only")
