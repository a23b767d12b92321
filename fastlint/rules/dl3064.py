"""DL3064: Potentially sensitive data should not be used in the `ARG` or `ENV` commands.

hadolint's list: names of well-known credentials, and names that contain a suspicious word (case-insensitive).
"""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule

KNOWN_SENSITIVE = frozenset("""
ACCESS_TOKEN APPLICATION_KEY APP_SECRET AUTH_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY BITTREX_API_KEY
BITTREX_API_SECRET CF_PASSWORD CF_USERNAME CIRCLE_TOKEN CI_DEPLOY_PASSWORD CI_DEPLOY_USER DOCKERHUB_PASSWORD
DOCKER_EMAIL DOCKER_PASSWORD DOCKER_USERNAME FACEBOOK_ACCESS_TOKEN FACEBOOK_APP_ID FACEBOOK_APP_SECRET
FIREBASE_API_TOKEN FIREBASE_TOKEN FOSSA_API_KEY GH_ENTERPRISE_TOKEN GH_TOKEN GITHUB_ENTERPRISE_TOKEN GITHUB_TOKEN
HEROKU_API_KEY HEROKU_API_USER NPM_AUTH_TOKEN NPM_TOKEN OKTA_AUTHN_GROUPID OKTA_CLIENT_ORGURL OKTA_CLIENT_TOKEN
OKTA_OAUTH2_CLIENTID OKTA_OAUTH2_CLIENTSECRET OPENAI_API_KEY OS_PASSWORD OS_USERNAME POSTGRES_PASSWORD SLACK_TOKEN
STRIPE_API_KEY STRIPE_DEVICE_NAME TRAVIS_OS_NAME TRAVIS_SECURE_ENV_VARS TRAVIS_SUDO VAULT_CLIENT_KEY VAULT_TOKEN
""".split())
SUSPICIOUS = ("api_key", "client_key", "password", "private", "secret", "token", "username")


def sensitive(name: str) -> bool:
    lowered = name.lower()
    return name.upper() in KNOWN_SENSITIVE or any(s in lowered for s in SUSPICIOUS)


@register
class DL3064(InstructionRule):
    code = "DL3064"
    level = "warning"
    message = "Potentially sensitive data should not be used in the `ARG` or `ENV` commands"
    name = "sensitive-arg-env"
    needs_instructions = ("ARG", "ENV")

    def check(self, ins):
        if ins.keyword not in ("ARG", "ENV"):
            return
        for p in ins.pairs:
            if sensitive(p.key):
                yield self.hit(p)
                return
