"""DL1000: a Dockerfile the builder rejects is one error finding at the line where reading failed; the other
files of the run are still checked."""

from __future__ import annotations

import json

from fastlint.cli.check import main as check_main


def _check(capsys, *paths) -> tuple[int, list[dict]]:
    code = check_main(["--format", "json", "--no-config", *map(str, paths)])
    return code, json.loads(capsys.readouterr().out)


def test_unknown_instruction_is_dl1000_at_its_line(tmp_path, capsys):
    bad = tmp_path / "bad" / "Dockerfile"
    bad.parent.mkdir()
    # a heredoc with a space after << is not a heredoc: its body lines become instructions
    bad.write_text("FROM alpine:3.19\nRUN cat > /f << 'EOF'\nhello world\nEOF\n")
    good = tmp_path / "good" / "Dockerfile"
    good.parent.mkdir()
    good.write_text("FROM alpine:3.19\nMAINTAINER me\n")
    code, findings = _check(capsys, bad, good)
    assert code == 1
    dl1000 = [f for f in findings if f["code"] == "DL1000"]
    assert [(f["file"], f["line"], f["level"]) for f in dl1000] == [(str(bad), 3, "error")]
    assert "unknown instruction" in dl1000[0]["message"].lower()
    assert not [f for f in findings if f["file"] == str(bad) and f["code"] != "DL1000"]
    assert any(f["file"] == str(good) and f["code"] == "DL4000" for f in findings)


def test_unterminated_heredoc_is_dl1000(tmp_path, capsys):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM alpine:3.19\nRUN <<EOF\necho hi\n")
    code, findings = _check(capsys, bad)
    assert code == 1
    assert [(f["code"], f["line"]) for f in findings] == [("DL1000", 2)]
    assert "unterminated heredoc" in findings[0]["message"]
