"""RawJournal MT5 bridge: read-only JSON-lines front end to the MetaTrader5 package."""
PROTOCOL_VERSION = 1
