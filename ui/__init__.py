"""PySide6 desktop application. No SQL, HTTP or parsing here: it calls `app` services."""
