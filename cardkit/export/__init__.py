"""Exports: printable card sets, the blank card template and its import, reports (Word documents)."""
