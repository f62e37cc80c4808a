"""Reading a DCE: safe archive unpacking (archive), one extractor per format (extractors),
the piece kinds (classify) and the parallel reader that puts it together (reader)."""
