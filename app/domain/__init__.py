"""Domain models shared by every layer (no I/O, no Qt)."""
