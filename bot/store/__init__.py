"""Our own state: one SQLite file with versioned migrations, written when things happen."""
