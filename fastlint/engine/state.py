"""What one run keeps between its files: the run's state, passed explicitly, never held in module globals.

A run is one ``check`` or ``fix`` command, one call of the library API, one editor request. It keeps:

* ``policies``: the configuration files found and read (``fastlint.engine.config.PolicyFinder``), so the
  356 files of a folder do not read ``fastlint.yaml`` 356 times, and a long-lived caller (an editor server) sees
  an edited file on its next run; it also holds the run's profile (``--profile``);
* each rule's own state for the run (``of``): ShellCheck's findings per script and the batch running in the
  background, so the fix loop, which lints a file many times, checks only the scripts a fix changed.

Rules reach it as ``self.ctx.state``; ``Rule.prepare(state, dfs)`` gets it directly.
"""

from __future__ import annotations

from .config import PolicyFinder

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Callable, TypeVar

    T = TypeVar("T")


class RunState:
    """``profile``: the profile (``fast`` or ``hadolint``) of the built-in policy and of the configuration files
    that name none, for this run (``--profile``, ``FASTLINT_PROFILE``). ``progress``: called as
    ``progress(step, done, total)`` while the run reads and lints its files (the CLI's progress line)."""

    def __init__(self, profile: str = "fast", progress: Callable[[str, int, int], None] | None = None):
        self.policies = PolicyFinder(profile)
        self.progress = progress
        self._of: dict[object, object] = {}

    def report(self, step: str, done: int, total: int) -> None:
        """Tell the run's ``progress`` how far a step got (``reading``, ``linting``)."""
        if self.progress is not None:
            self.progress(step, done, total)

    def of(self, owner: object, make: Callable[[], T]) -> T:
        """The run's state of ``owner`` (a rule class), made by ``make()`` the first time it is asked for."""
        found = self._of.get(owner)
        if found is None:
            found = self._of[owner] = make()
        return found
