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


def test_fl301_no_unsafe_fix_for_verdaccio_whose_files_belong_to_its_own_user(tmp_path, capsys):
    """verdaccio creates user 'verdaccio', chowns its app and storage folders to it and runs as it: switching
    USER to nodejs would leave /verdaccio/storage unwritable, so the unsafe fix leaves that USER alone and the
    finding says why (FL302 may still create the policy's user)."""
    from fastlint.cli.fix import main as fix_main

    original = (WILD / "verdaccio" / "Dockerfile").read_text()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(original)
    rc = fix_main(["--no-config", "--no-template", "--unsafe-fixes", "--select", "FL301,FL302", str(dockerfile)])
    out, err = capsys.readouterr()
    fixed = dockerfile.read_text()
    assert rc == 1  # FL301 is left unfixed
    assert "USER verdaccio\n" in fixed and "USER nodejs" not in fixed
    assert "chown -R verdaccio:verdaccio /verdaccio" in fixed
    assert "no fix: the image creates user 'verdaccio' (line 30)" in out + err

    rc = check_main(["--no-config", "--select", "FL301", str(WILD / "verdaccio" / "Dockerfile")])
    out = capsys.readouterr().out
    assert rc == 1
    assert "runs as 'verdaccio'" in out and "no fix: the image creates user 'verdaccio' (line 28)" in out
