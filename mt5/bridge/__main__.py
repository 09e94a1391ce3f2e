"""Entry point: `python3 mt5/bridge` or `python3 -m bridge` (cwd mt5/)."""
import os
import sys

_MT5_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _MT5_DIR not in sys.path:
    sys.path.insert(0, _MT5_DIR)
# `python3 mt5/bridge` puts mt5/bridge itself first on sys.path; drop it so that
# no module of this package shadows a standard one.
_SELF = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _SELF]

from bridge.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
