"""A reusable yes/no dialog: `if await ConfirmDialog('Delete “X”?').ask(): ...`."""

from __future__ import annotations

from nicegui import ui

from cardkit.ui.design import Text, aria


class ConfirmDialog(ui.dialog):
    """Asks one question; `ask()` opens it and returns True only when the confirm button was pressed."""

    def __init__(
        self, question: str, *, detail: str = '', confirm: str = 'Delete', cancel: str = 'Cancel', danger: bool = True
    ) -> None:
        super().__init__()
        self.mark('confirm-dialog')
        with self, ui.card().classes('ck-confirm').style('max-width: 34rem') as card:
            aria(card, modal='true')
            card.props['role'] = 'alertdialog'
            Text('h2', question).classes('text-xl font-bold').mark('confirm-question')
            if detail:
                Text('p', detail).classes('ck-muted')
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(cancel, on_click=lambda: self.submit(False)).props('flat no-caps').mark('confirm-cancel')
                ui.button(confirm, on_click=lambda: self.submit(True)).props(
                    f'no-caps unelevated color={"negative" if danger else "primary"}'
                ).mark('confirm-ok')

    async def ask(self) -> bool:
        """Open the dialog, wait for an answer (Escape or a click outside counts as no) and remove the dialog."""
        try:
            return bool(await self)
        finally:
            self.delete()
