"""The fake Docker engine, for tests that import it from here: it lives in the package (fastlint/testing/engine.py),
where the case runner starts it for a catalogue case's engine block."""

from fastlint.testing.engine import FakeEngine, image  # noqa: F401
