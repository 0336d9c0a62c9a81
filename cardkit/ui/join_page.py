"""The join page (being built)."""
from nicegui import ui


def content(**_kwargs) -> None:
    ui.label('This screen is not available yet.')
