"""Sync between the desktop and the account API: the shared wire protocol (`sync.protocol`) and the client."""
