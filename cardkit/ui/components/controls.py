"""Controls shared by the screens that move through cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from cardkit.ui import design

# Keys a card screen leaves alone while such an element has focus (Space presses a focused button; arrows move text
# cursors).
SPACE_IGNORED_IN: list[Any] = ['input', 'textarea', 'select', 'button', 'a', 'label']
ARROWS_IGNORED_IN: list[Any] = ['input', 'textarea', 'select']


def control(
    text: str, description: str, on_click: Callable[..., Any], *, icon: str | None = None, right: bool = False
) -> ui.button:
    """A card-moving button that says what it does; a mouse click leaves the keyboard to drive the cards.

    Voice-control users say what they see (WCAG 2.5.3), so the accessible name is the visible text: a description
    that starts with it ("Previous card" for "Previous") is the name; any other ("Turn the card over" for
    "Turn over") is the tooltip and the accessible description instead."""
    button = ui.button(text, on_click=on_click).props('no-caps')
    if icon:
        button.props(f'icon-right={icon}' if right else f'icon={icon}')
    button.on('mousedown', js_handler=design.NO_FOCUS_ON_MOUSE_DOWN)
    return design.name_and_description(button, text, description)
