"""Writes: use cases that take a Session and plain values; one commit per use case, by the caller."""
