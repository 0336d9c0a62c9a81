"""Reads of one view of which only the newest may draw."""

from collections.abc import Callable


class Newest:
    """A view's reads run in worker threads and can come back out of order (the answer to an earlier search, or to an
    earlier reload, finishing last). Each read asks for a ticket; an answer whose ticket a later read has overtaken is
    dropped, so a slow answer never paints over a newer one."""

    def __init__(self) -> None:
        self._latest = 0

    def ticket(self) -> Callable[[], bool]:
        """Start a read; the check it returns says whether that read is still the newest when its answer arrives."""
        self._latest += 1
        mine = self._latest
        return lambda: mine == self._latest
