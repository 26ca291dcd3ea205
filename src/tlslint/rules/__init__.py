"""The rule engine: load and validate packs, compile conditions, evaluate them on subjects."""
