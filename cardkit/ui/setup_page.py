"""The setup_page screen (being built)."""
from nicegui import ui


def new_session(**_kwargs) -> None:
    ui.label('This screen is not available yet.')


def edit_session(**_kwargs) -> None:
    ui.label('This screen is not available yet.')
