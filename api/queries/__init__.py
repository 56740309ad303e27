"""Reads: functions that take a Session and plain values and return models or pages of them."""
