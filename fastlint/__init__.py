"""fastlint: a Dockerfile linter, fixer and verifier for the FAST multi-stage build standard."""

__version__ = "0.1.0"
