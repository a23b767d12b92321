"""Data rules: an organisation's simple rules written in fastlint.yaml, without Python.

::

    custom_rules:
      prefix: ORG                      # the rules' prefix: their IDs are ORG and digits
      rules:
        ORG001:
          message: The image names its owning team in a `team` label
          level: error                 # error | warning (default) | info | style
          required_label: team
          pattern: '[a-z][a-z0-9-]*'   # optional: the value must match it (the whole value)
        ORG002:
          message: Base images come from registry.acme.io
          allowed_registries: [registry.acme.io]
          stages: [production]         # optional: only these stages (default: every stage)

One check per rule, with its own ``message``, ``level`` and optional ``description`` (docs):

* ``required_label: NAME`` (+ ``pattern``): the stage that becomes the image sets the label (a stage it is built
  FROM counts), and its value matches ``pattern``;
* ``allowed_registries`` / ``forbidden_registries``: the registries (host names, ``*`` globs; Docker Hub is
  ``docker.io``) a base image may or may not come from;
* ``allowed_images`` / ``forbidden_images``: image globs (``node:*``, ``*:latest``), matched against the
  reference as written and as Docker completes it (``node`` is ``docker.io/library/node:latest``);
* ``forbidden_instructions: [ADD, MAINTAINER]``;
* ``forbidden_commands: ['npm install', sudo]``: commands in RUN, by their name and first operands;
* ``required_instructions: [HEALTHCHECK, USER]``: in the stage that becomes the image (or a stage it is built
  FROM);
* ``regex: PATTERN`` (+ ``instruction: RUN`` or a list): a finding where the pattern matches an instruction's
  arguments.

``stages`` (registries, images, instructions, commands, regex) names stages by their ``AS`` name; the stage that
becomes the image also answers to the policy's last stage name (``production``). The message may name what was
found: ``{label}``, ``{value}``, ``{image}``, ``{registry}``, ``{instruction}``, ``{command}``, ``{match}``,
``{stage}``.

``read.py`` reads and checks the section (every error at ``fastlint.yaml:LINE:COL``); ``checks.py`` makes each
rule a rule class of the one rule contract, so selection, pragmas, levels, baselines and every output format
treat them as any other rule.
"""
