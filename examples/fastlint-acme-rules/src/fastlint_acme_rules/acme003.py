"""ACME003: ``npm ci``, never ``npm install``."""

from fastlint.engine.rule import Edit, InstructionRule
from fastlint.rules.lib.run import hit_command, shell_of


class ACME003(InstructionRule):
    code = "ACME003"
    level = "error"
    message = "Use `npm ci`, never `npm install`"
    name = "acme-npm-ci"
    fix_safety = "unsafe"

    def check(self, ins):
        sh = shell_of(ins)  # the commands of a RUN (None for any other instruction)
        if sh is None:
            return
        for cmd in sh.find("npm"):
            operands = cmd.operands()
            if not operands or operands[0].text not in ("install", "i"):
                continue
            fix = None
            span = sh.span(operands[0])
            if len(operands) == 1 and span is not None:  # the lock file's install, not `npm install express`
                fix = self.fix(Edit(span[0], span[1], "ci"), description="npm ci")
            hit = hit_command(self, ins, sh, cmd)
            hit.fix = fix
            yield hit
