"""What one run keeps between its files: the run's state, passed explicitly, never held in module globals.

A run is one ``check`` or ``fix`` command, one call of the library API, one editor request. It keeps:

* ``policies``: the configuration files found and read (``fastlint.engine.config.PolicyFinder``), so the
  356 files of a folder do not read ``fastlint.yaml`` 356 times, and a long-lived caller (an editor server) sees
  an edited file on its next run;
* each rule's own state for the run (``of``): ShellCheck's findings per script and the batch running in the
  background, so the fix loop, which lints a file many times, checks only the scripts a fix changed.

Rules reach it as ``self.ctx.state``; ``Rule.prepare(state, dfs)`` gets it directly.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from .config import PolicyFinder

T = TypeVar("T")


class RunState:

    def __init__(self):
        self.policies = PolicyFinder()
        self._of: dict[object, object] = {}

    def of(self, owner: object, make: Callable[[], T]) -> T:
        """The run's state of ``owner`` (a rule class), made by ``make()`` the first time it is asked for."""
        found = self._of.get(owner)
        if found is None:
            found = self._of[owner] = make()
        return found
