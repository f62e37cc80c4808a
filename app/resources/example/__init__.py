"""The example DCE shipped with Maître AO (dce.zip) and the script that writes it."""
