"""Maître AO account API (FastAPI): accounts, sessions, sync storage, privacy rights, billing, Claude proxy."""
