"""Findings on the wild services (fixtures/wild) that were wrong on real data: each test runs ``fastlint`` as a
user does on the service's own Dockerfile."""

from __future__ import annotations

from conftest import ROOT
from fastlint.cli.check import main as check_main

WILD = ROOT / "fixtures" / "wild"


def test_fl504_node_of_amazon_linux_2023_nodejs20_is_in_the_image(capsys):
    """maildev installs Amazon Linux 2023's `nodejs20` (which brings `node`) and its health check runs node."""
    dockerfile = WILD / "maildev" / "Dockerfile"
    assert "dnf install -y nodejs20 nodejs20-npm" in dockerfile.read_text()
    rc = check_main(["--no-config", "--select", "FL504", str(dockerfile)])
    out = capsys.readouterr().out
    assert "FL504" not in out
    assert rc == 0
