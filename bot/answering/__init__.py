"""Question answering: a user's words in, one knowledge topic (or a polite "not my field") out."""
