"""The Claude engine: client, page selection, structured extraction, grounding, drafting, retries."""
