"""What the rules share, in modules by subject; none of them is a rule.

The registry loads every module of ``fastlint/rules/`` (one rule each) and nothing in this package; a rule module
imports from here (and from the engine and the parser), never from another rule module (a test checks it).

* ``run``: the RUN adapter every RUN rule uses: ``shell_of(ins)`` / ``hit_command`` (DL rules), ``commands(ins)``
  / ``command_spot`` (FL rules), over the one RUN model (``fastlint.parser.shell.run_model``); edits that add a
  word or a command; the shared "clean the package cache" check.
* ``stages``: the multi-stage model as the builder sees it: FROM chains, ``COPY --from``, the policy's stage
  names, the stage's WORKDIR and ENV.
* ``families``: the OS family of a stage's base image (Alpine, Debian/Ubuntu, the Red Hat family, SUSE, BusyBox)
  from its name, the FROM chain and (to come) its os-release; which package manager and user tools each has.
* ``port``: carrying a stage's package and user commands over to another family, for the fixes that switch
  a base image (FL102, FL201).
* ``images``: image references compared as Docker compares them.
* ``packages``: OS package installs and removals (apk, apt-get, yum/dnf), version pinning.
* ``npm``: dependency installs (npm, yarn, pnpm), devDependencies, the files an install reads.
* ``users``: users and groups a RUN creates, the USER the image runs as.
* ``health``: HEALTHCHECK commands, probe ports, the standard's health check.
* ``files``: COPY/ADD sources and destination, archives, quotes.
* ``places``: where an edit can insert a line (before the comments above an instruction, after it, at the end of
  a stage).
* ``bases``: base classes several rules are made of (version pinning, label values, last-one-wins).
* ``secrets``: what FL601 calls a secret (the migration removes exactly those).
* ``process``: running an external checker's program on an input (ShellCheck on one script), without the
  subprocess module where the system has ``posix_spawn``.
* ``regex``: ``lazy(pattern)``, a regular expression compiled when first used (no compiling at import).
* ``buildkit``: BuildKit's build checks' base class (``BuildKitCheck``: ``sites`` for an ONBUILD trigger), its word
  expansion, the build's argument scopes (with the base image's ENV from a local engine), references, platforms.
* ``twins``: what a hadolint rule and BuildKit's check that says the same thing share (the same fix, the same
  words).

Nothing here imports anything heavy: this is on the lint path.
"""
