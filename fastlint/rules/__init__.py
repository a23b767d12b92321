"""The rules: one module per rule (``dl3006.py``, ``fl501.py``), each registering its class with
``fastlint.engine.registry.register``. Their docs and cases live in the catalogue (``rules/DL3006.md``)."""
