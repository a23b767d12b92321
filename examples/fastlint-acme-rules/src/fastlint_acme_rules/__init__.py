"""ACME's Dockerfile rules for fastlint.

fastlint finds this module through the entry point ``ACME = "fastlint_acme_rules"`` (pyproject.toml) and imports
it only when one of its rules runs or is listed. It reads two names:

* ``RULES``: the rule classes (``fastlint.engine.rule.Rule``), each with a code of the prefix ``ACME``;
* ``CATALOGUE``: the folder of their catalogue pages (this is the default: ``catalogue/`` beside this file).
"""

from pathlib import Path

from .acme001 import ACME001
from .acme002 import ACME002
from .acme003 import ACME003
from .acme004 import ACME004

RULES = [ACME001, ACME002, ACME003, ACME004]
CATALOGUE = Path(__file__).parent / "catalogue"
