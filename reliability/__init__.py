"""Reliability and security figures: `python -m reliability` prints one row per figure, then a JSON line.

Each measurement is a function returning a dict of figures; the tests in tests/reliability/ call the same functions
with smaller sizes and assert each figure is at its target. What every row means is in docs/reliability.md.

Simulated participants speak NiceGUI's own browser protocol (a page load over HTTP, then Socket.IO events to the
elements of that page), so they go through the same pages, handlers and use cases as a phone does. This package
drives the app from outside (it starts servers, kills them, drives browsers); the app never imports it.
"""
