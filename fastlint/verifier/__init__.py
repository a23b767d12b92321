"""The verifier: the only part of fastlint that talks to a Docker engine (engine.py). `verify` builds, runs and
measures service images against the budgets and a baseline; `build` is the standard's build script."""
