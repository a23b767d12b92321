"""What FL601 calls a secret: a name that says token, password, key..., or a value that looks like a credential.
The migration removes exactly these (``fastlint.fixer.migrate``)."""

from __future__ import annotations

import re


SECRET_WORDS = frozenset({"PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS",
                          "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY", "SECRETKEY", "ACCESSKEY"})


KEY_QUALIFIERS = frozenset({"API", "ACCESS", "SECRET", "PRIVATE", "ENCRYPTION", "SIGNING", "CLIENT", "MASTER",
                            "AUTH", "LICENSE", "SSH", "DB", "SESSION", "JWT"})


# a last word that makes the variable a reference to a secret, not the secret itself
NOT_SECRET_SUFFIX = frozenset({"FILE", "FILES", "PATH", "DIR", "URL", "URI", "ENDPOINT", "HOST", "PORT", "LENGTH",
                               "TYPE", "NAME", "ID", "REF", "ARN", "MOUNT", "TTL", "EXPIRY", "HEADER", "ENABLED"})


NOT_SECRET_VALUES = frozenset({"yes", "no", "true", "false", "on", "off", "0", "1", "y", "n"})


SECRET_VALUES = (
    re.compile(r"AKIA[0-9A-Z]{16}"),  # AWS access key
    re.compile(r"\b(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{30,}"),  # GitHub tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{30,}"),
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),  # Slack
    re.compile(r"\b(sk|rk)_live_[A-Za-z0-9]{16,}"),  # Stripe
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}"),  # Google API key
    re.compile(r"\bnpm_[A-Za-z0-9]{36}"),  # npm token
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"://[^/\s:@]+:[^/\s@$]+@"),  # credentials in a URL
)


def name_words(name: str) -> list[str]:
    """``dbPassword`` / ``DB_PASSWORD`` / ``db-password`` -> ``["DB", "PASSWORD"]``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.upper()) if w]


def secret_name(name: str) -> bool:
    words = name_words(name)
    if not words or words[-1] in NOT_SECRET_SUFFIX:
        return False
    if any(w in SECRET_WORDS for w in words):
        return True
    return any(w == "KEY" and i > 0 and words[i - 1] in KEY_QUALIFIERS for i, w in enumerate(words))


def secret_value(value: str) -> bool:
    return any(p.search(value) for p in SECRET_VALUES)


def kind_of_secret(keyword: str, key: str, value: str | None) -> str | None:
    """Why an ENV or ARG pair is a secret: "name" (it says password/token/key), "value" (it looks like a
    credential), or None. A ``/run/secrets/`` path is not one, nor is an ENV yes/no switch
    (MYSQL_ALLOW_EMPTY_PASSWORD=yes is a setting about a secret). The migration drops what this says."""
    value = value or ""
    if value.startswith("/run/secrets/"):
        return None
    if keyword == "ENV" and value.lower() in NOT_SECRET_VALUES:
        return None
    if secret_name(key):
        return "name"
    return "value" if value and secret_value(value) else None
