"""Fixtures of the stories: several simulated browsers at once, and a join throttle that starts from nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nicegui import context, ui
from nicegui.testing import User

from cardkit import workshop


class _ToOwnBrowser:
    """Stands in for ui.notify / ui.navigate: the call goes to the simulated browser whose page made it."""

    def __init__(self, users: list[User], name: str) -> None:
        self.users = users
        self.name = name

    def _target(self) -> object:
        client = context.client
        owner = next((u for u in self.users if object.__getattribute__(u, 'client') is client), None)
        return object.__getattribute__(owner, self.name) if owner is not None else lambda *_a, **_k: None

    def __call__(self, *args, **kwargs):
        return self._target()(*args, **kwargs)

    def __getattr__(self, name: str):
        target = self._target()
        return getattr(target, name, lambda *_a, **_k: None)


@pytest.fixture
def create_user(user: User, create_user: Callable[[], User], monkeypatch: pytest.MonkeyPatch) -> Callable[[], User]:
    """More simulated browsers. NiceGUI's harness points ui.notify/ui.navigate at whichever User was touched last,
    which sends a page's notification or navigation to another browser when several are live; route by page."""
    users = [user]
    monkeypatch.setattr(User, '__getattribute__', object.__getattribute__)
    monkeypatch.setattr(ui, 'notify', _ToOwnBrowser(users, 'notify'))
    monkeypatch.setattr(ui, 'navigate', _ToOwnBrowser(users, 'navigate'))

    def make() -> User:
        users.append(create_user())
        return users[-1]

    return make


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no join attempts counted (all simulated browsers share one address)."""
    monkeypatch.setattr(workshop, 'join_throttle', workshop.WrongCodes())
