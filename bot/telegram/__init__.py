"""The Telegram adapter: Telegram updates in, the engine's replies out. It only translates."""
