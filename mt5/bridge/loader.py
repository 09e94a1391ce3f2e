"""Lazy import of the MetaTrader5 module: the official package, or the
simulator when RAWJOURNAL_MT5_MODULE=simulator."""
import importlib
import os
import sys

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator")


def load_mt5():
    choice = (os.environ.get("RAWJOURNAL_MT5_MODULE") or "MetaTrader5").strip()
    if choice == "simulator":
        if SIMULATOR_DIR not in sys.path:
            sys.path.insert(0, SIMULATOR_DIR)
        module = importlib.import_module("MetaTrader5")
        if not getattr(module, "__rawjournal_simulator__", False):
            raise ImportError(f"RAWJOURNAL_MT5_MODULE=simulator but {module.__file__} is not the simulator")
        return module, True
    if choice != "MetaTrader5":
        raise ImportError(f"RAWJOURNAL_MT5_MODULE must be MetaTrader5 or simulator, not {choice!r}")
    return importlib.import_module("MetaTrader5"), False
