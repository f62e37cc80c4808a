"""The company's answer library: past mémoires split into reusable blocks, their tags."""
