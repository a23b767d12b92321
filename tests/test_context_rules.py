"""The build-context rules (FL405-FL408, FL504's context part) on every Dockerfile of the shared corpus, each put
in a folder with a package.json so that its context is "known": no crash, no error exit, and every finding is one
of the rule's own sentences. The corpus's contexts hold nothing but the Dockerfile and package.json, so COPY
sources from the context are missing (FL407); what is checked here is that the rules read every real Dockerfile
form without failing and without judging stages they cannot know (a stage that runs a build tool fastlint does
not follow: no COPY --from finding)."""

from __future__ import annotations

import json
import shutil

from conftest import corpus_files

from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches

FORMS = ("is not in the build context", "matches nothing in the build context", "is excluded by",
         "COPY --from=", "needs ", "was never copied", "stops:", "resolves those again", "has no script",
         "The health check runs")


def test_context_rules_read_the_whole_corpus(tmp_path, capsys):
    files = corpus_files()
    assert len(files) > 300
    paths = []
    for i, f in enumerate(files):
        folder = tmp_path / f"s{i}"
        folder.mkdir()
        shutil.copy(f, folder / "Dockerfile")
        (folder / "package.json").write_text('{"name": "svc", "scripts": {"build": "tsc"}}\n')
        paths.append(str(folder / "Dockerfile"))
    reset_caches()
    code = check_main(["--no-config", "--format", "json", "--select", "FL405,FL406,FL407,FL408,FL504", *paths])
    out = capsys.readouterr()
    assert code in (0, 1), out.err
    findings = json.loads(out.out)
    assert findings, "the corpus copies no source from a context: FL407 must see them missing"
    for f in findings:
        assert any(form in f["message"] for form in FORMS), f
    assert not [f for f in findings if f["code"] == "FL407" and "COPY --from=" in f["message"]]
