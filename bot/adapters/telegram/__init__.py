"""The Telegram front end: commands, inline keyboards, quiz polls and run results as escaped HTML."""
