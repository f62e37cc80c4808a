"""Numbered SQL migrations of the local store (a package so the .sql files ship with it)."""
