"""The bot's observability endpoint: Prometheus metrics, liveness and readiness, for ``tutor serve``."""
