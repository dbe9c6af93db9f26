"""The store contract: every area's behaviour, run on each backend (the `store` fixture)."""
