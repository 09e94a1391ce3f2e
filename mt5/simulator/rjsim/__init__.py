"""Engine of the MetaTrader 5 simulator (scenario replay, server clocks, prices).

The stand-in `MetaTrader5` module (../MetaTrader5) is the only public face;
nothing here is imported by the bridge directly.
"""
