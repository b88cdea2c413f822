"""The dialogue engine: one conversation logic for every adapter (terminal, Telegram)."""
