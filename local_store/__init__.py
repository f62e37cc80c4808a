"""The encrypted local store (SQLCipher): key in the OS keychain, migrations, repositories."""
