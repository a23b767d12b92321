"""Hunt fixes that write bad text: run every fix (safe, then safe and unsafe) over real Dockerfiles and over
mutants of them, and count the fixes the fix loop throws away (``FixOutcome.discards``).

A discarded fix is a rule's bug: its text does not parse, its edits overlap, it changes nothing, it breaks the file
together with the other fixes of its pass, or it never settles. Users never see it, so this script looks for it.
It also counts, for each fixed file:

* FL203 finding commands that do not fit their base in more instructions than in the original: a fix that parses
  but leaves a file that cannot build (FL102 switching a base without its commands);
* a broken result: the fixed text does not parse, or BuildKit would reject it, while the original did not;
* a fix that is not idempotent: fixing the result again (same mode) changes it;
* a lost comment: a comment line of the original (a pragma aside: FL001 removes unused ones) missing from the
  result.

    python scripts/fix_fuzz.py                       # the corpus and fixtures, then 5,000 mutants (seed 18)
    python scripts/fix_fuzz.py --corpus $FASTLINT_SHARED/corpus    # the shared corpus (356 files) instead
    python scripts/fix_fuzz.py --count 20000 --seed 7 --out /tmp/fuzz   # more; each discard's file saved there
    python scripts/fix_fuzz.py --replay /tmp/fuzz/0001.Dockerfile         # one saved file, with FASTLINT_DEBUG

The mutants are made from the corpus kept with the tests (``tests/data/corpus``) and the fixtures' Dockerfiles by one to
three line-level mutations drawn with ``random.Random(seed)``: another base image (Debian, Alpine, BusyBox,
scratch, a build argument), a stage name, the backtick escape directive, CRLF line endings, no final newline, a line
deleted, doubled, swapped or lower-cased, an instruction from a pool (USER, SHELL, HEALTHCHECK, COPY with several
sources, package and user commands of every family, pragmas, comments) or from another file, and a comment or blank
line inside a continuation. A mutant that BuildKit would reject is skipped (the fixer leaves such files alone).
The same seed and count give the same files, so a run is reproducible; the Dockerfile's path puts about half of
them in a service of the built-in matrix (so the health check rules fix them too). ShellCheck is off: it fixes
nothing and is most of the lint time.

Exit code 0 when nothing was discarded, 1 otherwise. ``--json`` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastlint.engine.config import builtin_policy  # noqa: E402
from fastlint.engine.pragmas import parse_pragma  # noqa: E402
from fastlint.engine.runner import Selection, build_error, lint_text  # noqa: E402
from fastlint.fixer.loop import fix_text  # noqa: E402
from fastlint.parser import parse  # noqa: E402

SEED = 18
COUNT = 5000

IMAGES = [
    "debian:bookworm", "debian:bookworm-slim", "ubuntu:22.04", "node:20", "node:18", "node:20-slim", "node:latest",
    "node:20-alpine", "node:18-alpine", "alpine:3.19", "alpine", "busybox:1.36", "scratch", "${BASE}",
    "${BASE:-node:20}", "golang:1.22-alpine", "python:3.12-slim", "fedora:40", "gcr.io/distroless/nodejs20-debian12",
    "node:20-alpine@sha256:" + "a" * 64, "builder", "base",
]
STAGES = ["dependencies", "builder", "runtime-tools", "production", "base", "build", "final"]
POOL = [
    "USER nodejs", "USER root", "USER node", "USER 1001:1001", "USER ${APP_USER}", "USER app",
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'SHELL ["/bin/sh", "-c"]', 'SHELL ["/bin/ash", "-c"]',
    'HEALTHCHECK CMD curl -f http://localhost:3000/health || exit 1', "HEALTHCHECK NONE",
    'HEALTHCHECK --interval=30s CMD ["grpc_health_probe", "-addr=localhost:50051"]',
    "COPY a b c", 'COPY ["a", "b", "dest"]', "COPY --chown=node:node a.json b.json ./app", "COPY . .",
    "COPY package*.json ./", "COPY --from=builder /app/dist ./dist", "ADD . /app", "ADD https://example.com/x.tgz /x",
    "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
    "RUN apt-get install python3 make g++", "RUN apt install -y git", "RUN apk add curl", "RUN apk add --update git",
    "RUN apk add --no-cache --virtual .build-deps gcc musl-dev && apk del .build-deps",
    "RUN yum install httpd", "RUN dnf install -y nginx", "RUN microdnf install -y shadow-utils",
    "RUN zypper install curl", "RUN groupadd -g 1001 nodejs && useradd -u 1001 -g nodejs -m nodejs",
    "RUN addgroup -g 1001 -S nodejs && adduser -S -u 1001 -G nodejs nodejs", "RUN adduser -S app",
    "RUN useradd -r -u 1500 app", "RUN useradd app", "RUN npm install", "RUN npm ci", "RUN yarn install",
    "RUN pip install flask", "RUN wget http://example.com/x | sh", "RUN curl -s http://x | tar xz",
    "RUN cd /app && make", "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF",
    "RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl",
    'CMD ["node", "index.js"]', "CMD node index.js", "CMD npm start", 'ENTRYPOINT ["node"]', "ENTRYPOINT node x.js",
    "WORKDIR app", "WORKDIR /usr/src/app", "EXPOSE 3000", "EXPOSE 50051", "ENV NODE_ENV=production",
    "ENV API_TOKEN=abc123", "ARG NPM_TOKEN", "ARG BASE=node:20", "LABEL maintainer=someone", "MAINTAINER me <me@x>",
    "ONBUILD RUN apt-get install curl", "STOPSIGNAL SIGTERM", "VOLUME /data",
    "# hadolint ignore=DL3008", "# fastlint: ignore=FL302", "# a comment", "",
]
SERVICES = ["fast-validation-service", "fast-orchestrator-service", "fast-requesthandler-service",
            "fast-accounting-service", "some-other-service"]


def sources(corpus: Path | None = None) -> list[tuple[str, str]]:
    """(name, text) of every corpus file (``corpus``: a folder of Dockerfiles, by default the one kept in
    tests/data) and fixture Dockerfile."""
    corpus = corpus or REPO / "tests" / "data" / "corpus"
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv"))
    files += sorted(p for p in (REPO / "fixtures").rglob("*") if p.is_file() and p.name.startswith("Dockerfile")
                    and not p.name.endswith((".backup", ".bak", ".orig")))
    out = []
    for p in files:
        try:
            out.append((str(p), p.read_bytes().decode("utf-8")))
        except UnicodeDecodeError:
            continue
    if not out:
        sys.exit(f"fix_fuzz: no corpus at {corpus}")
    return out


# -- mutations: each takes (lines, rng, donors) and returns new lines --------------------------------------------
def _from_lines(lines):
    return [i for i, line in enumerate(lines) if line.lstrip().upper().startswith("FROM ")]


def m_image(lines, rng, donors):
    idx = _from_lines(lines)
    if not idx:
        return lines
    i = rng.choice(idx)
    words = lines[i].split()
    k = next((j for j, w in enumerate(words[1:], 1) if not w.startswith("--")), None)
    if k is None:
        return lines
    words[k] = rng.choice(IMAGES)
    lines[i] = " ".join(words)
    return lines


def m_stage_name(lines, rng, donors):
    idx = _from_lines(lines)
    if not idx:
        return lines
    i = rng.choice(idx)
    words = lines[i].split()
    if len(words) >= 4 and words[-2].upper() == "AS":
        words[-1] = rng.choice(STAGES)
    else:
        words += ["AS", rng.choice(STAGES)]
    lines[i] = " ".join(words)
    return lines


def m_escape(lines, rng, donors):
    return ["# escape=`"] + lines


def m_delete(lines, rng, donors):
    if len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    return lines


def m_double(lines, rng, donors):
    if lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    return lines


def m_swap(lines, rng, donors):
    if len(lines) > 2:
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return lines


def m_lower(lines, rng, donors):
    if lines:
        i = rng.randrange(len(lines))
        word, _, rest = lines[i].partition(" ")
        lines[i] = word.lower() + (" " + rest if rest else "")
    return lines


def m_insert(lines, rng, donors):
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(POOL))
    return lines


def m_append(lines, rng, donors):
    lines.append(rng.choice(POOL))
    return lines


def m_splice(lines, rng, donors):
    donor = rng.choice(donors).splitlines()
    starts = [i for i, line in enumerate(donor) if line[:1].isalpha()]
    if not starts:
        return lines
    i = rng.choice(starts)
    j = i + 1
    while j < len(donor) and donor[j - 1].rstrip().endswith("\\"):
        j += 1
    lines[rng.randrange(len(lines) + 1):0] = donor[i:j]
    return lines


def m_inside_continuation(lines, rng, donors):
    idx = [i for i, line in enumerate(lines) if line.rstrip().endswith("\\")]
    if idx:
        lines.insert(rng.choice(idx) + 1, rng.choice(["# note", "", "    # indented note"]))
    return lines


def m_indent(lines, rng, donors):
    if lines:
        i = rng.randrange(len(lines))
        lines[i] = rng.choice(["  ", "\t", "    "]) + lines[i]
    return lines


LINE_MUTATIONS = [m_image, m_image, m_image, m_stage_name, m_escape, m_delete, m_double, m_swap, m_lower,
                  m_insert, m_insert, m_insert, m_append, m_splice, m_inside_continuation, m_indent]


def mutate(text: str, rng: random.Random, donors: list[str]) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        lines = rng.choice(LINE_MUTATIONS)(list(lines), rng, donors)
    out = "\n".join(lines)
    ending = rng.random()
    if ending < 0.1:
        return out.replace("\n", "\r\n") + "\r\n"  # CRLF
    if ending < 0.2:
        return out  # no final newline
    return out + "\n"


def mutants(seed: int, count: int, base: list[tuple[str, str]]):
    """(name, text) of ``count`` mutants that parse, drawn with ``random.Random(seed)``; also the number of
    candidates skipped because BuildKit would reject them."""
    rng = random.Random(seed)
    donors = [t for _, t in base]
    made = skipped = 0
    while made < count:
        name, text = rng.choice(base)
        new = mutate(text, rng, donors)
        if parse(new).error is not None or build_error(parse(new)) is not None:
            skipped += 1
            continue
        made += 1
        yield f"mutant {made} of {name}", new, skipped


def misfit_runs(text: str, findings) -> int:
    """How many instructions hold FL203 findings (commands that do not fit the stage's base)."""
    starts = [f.start for f in findings if f.code == "FL203"]
    if not starts:
        return 0
    return len({i.index for i in parse(text).instructions for at in starts if i.start <= at < i.end})


def broken(text: str) -> str | None:
    """Why BuildKit would reject the text (it does not parse, or the build fails on it at once), or None."""
    df = parse(text)
    if df.error is not None:
        return f"does not parse: {df.error}"
    why = build_error(df)
    return f"BuildKit rejects it: {why}" if why is not None else None


def comments(text: str) -> Counter:
    """The file's comment lines (stripped), pragmas left out."""
    out: Counter = Counter()
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#") and parse_pragma(line[1:].strip()) is None:
            out[line] += 1
    return out


# the kinds of problem besides a discarded fix (the code given in place of a rule's)
CHECKS = ("FL203", "broken", "idempotence", "comment")


def problems(text: str, path: str, policy, selection) -> list[tuple[str, str, str]]:
    """(mode, code, sentence) for each fix thrown away when fixing ``text`` safe, then unsafe, and, per mode:
    ("...", "FL203", ...) when a fixed file has more instructions with commands that do not fit their base than the
    original had (a fix that leaves a file that cannot build; a fix may add to an instruction that was already
    broken, as DL3040's ``dnf clean all``); ("...", "broken", ...) when the result does not parse or BuildKit would
    reject it while the original would not; ("...", "idempotence", ...) when fixing the result again changes it
    (naming the rules that changed it); ("...", "comment", ...) for a comment line of the original missing from the
    result."""
    found = []
    before = None
    was_broken = broken(text)
    for unsafe in (False, True):
        mode = "unsafe" if unsafe else "safe"
        out = fix_text(text, path, policy, selection, unsafe=unsafe)
        found += [(mode, d.code, f"line {d.line} {d.kind}: {d.reason}") for d in out.discards]
        after = misfit_runs(out.text, out.remaining)
        if after:
            if before is None:
                before = misfit_runs(text, lint_text(text, path, policy, selection).findings)
            if after > before:
                found.append((mode, "FL203", f"fires in {after} instructions of the fixed file, {before} of the "
                                              "original"))
        if out.text == text:
            continue
        why = broken(out.text)
        if why is not None and was_broken is None:
            found.append((mode, "broken", f"the fixed file {why}"))
            continue
        again = fix_text(out.text, path, policy, selection, unsafe=unsafe)
        if again.text != out.text:
            codes = ",".join(sorted({a.code for a in again.applied})) or "?"
            found.append((mode, "idempotence", f"fixing the result again changes it ({codes})"))
        lost = comments(text) - comments(out.text)
        for line, n in sorted(lost.items()):
            found.append((mode, "comment", f"{n} x {line[:60]!r} lost"))
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--count", type=int, default=COUNT, help="mutants to fix (default %(default)s)")
    ap.add_argument("--no-corpus", action="store_true", help="only the mutants, not the corpus files themselves")
    ap.add_argument("--corpus", type=Path, help="a folder of Dockerfiles to fix and mutate (default tests/data/corpus; "
                                                "the shared corpus is $FASTLINT_SHARED/corpus)")
    ap.add_argument("--out", type=Path, help="save each file with a discard there (NNNN.Dockerfile + .txt)")
    ap.add_argument("--replay", type=Path, help="fix one file with FASTLINT_DEBUG=1 and print its discards")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    policy = builtin_policy()
    policy.shellcheck = False
    selection = Selection()
    if args.replay:
        os.environ["FASTLINT_DEBUG"] = "1"
        text = args.replay.read_text(encoding="utf-8")
        found = problems(text, f"/fuzz/{SERVICES[0]}/Dockerfile", policy, selection)
        for mode, code, why in found:
            print(f"{mode}: {code} {why}")
        return 1 if found else 0

    base = sources(args.corpus)
    start = time.monotonic()
    rng = random.Random(args.seed)
    by_code: Counter = Counter()
    by_kind: Counter = Counter()
    misfits: Counter = Counter()  # fixed files with more commands that do not fit their base (FL203)
    others: dict[str, Counter] = {check: Counter() for check in CHECKS[1:]}  # files, by mode
    files_with = 0
    checked = 0
    saved = 0
    skipped = 0
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)

    def check(name: str, text: str) -> None:
        nonlocal files_with, checked, saved
        service = rng.choice(SERVICES) if rng.random() < 0.5 else "fuzz"
        path = f"/nonexistent/{service}/Dockerfile"
        checked += 1
        found = problems(text, path, policy, selection)
        for mode, code, why in set((m, c, "") if c in CHECKS else (m, c, w) for m, c, w in found):
            if code == "FL203" and not why:
                misfits[mode] += 1
            elif code in others:
                others[code][mode] += 1
        for mode, code, why in found:
            if code not in CHECKS:
                by_code[code] += 1
                by_kind[why.split(":", 1)[0].split()[-1]] += 1
        if found:
            files_with += 1
            if args.out:
                saved += 1
                (args.out / f"{saved:04d}.Dockerfile").write_text(text, encoding="utf-8")
                (args.out / f"{saved:04d}.txt").write_text(f"{name}\npath: {path}\n" + "".join(
                    f"{mode}: {code} {why}\n" for mode, code, why in found))

    corpus_files = 0
    if not args.no_corpus:
        for name, text in base:
            if parse(text).error is None:
                corpus_files += 1
                check(name, text)
    for name, text, skipped in mutants(args.seed, args.count, base):
        check(name, text)
    seconds = round(time.monotonic() - start, 1)
    figures = {"seed": args.seed, "corpus_and_fixture_files": corpus_files, "mutants": args.count,
               "mutants_skipped_unparsable": skipped, "files_fixed": checked, "runs": checked * 2,
               "files_with_problems": files_with, "discards": sum(by_code.values()),
               "fixed_files_with_more_misfit_commands": dict(misfits),
               "fixed_files_broken": dict(others["broken"]),
               "fixed_files_not_idempotent": dict(others["idempotence"]),
               "fixed_files_with_lost_comments": dict(others["comment"]),
               "discards_by_rule": dict(by_code.most_common()), "discards_by_kind": dict(by_kind.most_common()),
               "seconds": seconds}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"fix_fuzz seed {args.seed}: {corpus_files} corpus and fixture files + {args.count} mutants "
              f"({skipped} unparsable candidates skipped), each fixed safe and unsafe ({checked * 2} runs) in "
              f"{seconds} s")
        print(f"discarded fixes: {sum(by_code.values())}; fixed files with more commands that do not fit their base "
              f"(FL203) than before: {sum(misfits.values())} {dict(misfits) or ''}")
        print(f"fixed files broken: {sum(others['broken'].values())} {dict(others['broken']) or ''}; not idempotent: "
              f"{sum(others['idempotence'].values())} {dict(others['idempotence']) or ''}; with lost comments: "
              f"{sum(others['comment'].values())} {dict(others['comment']) or ''}; files with any problem: "
              f"{files_with}")
        for code, n in by_code.most_common():
            print(f"  {code}: {n}")
        for kind, n in by_kind.most_common():
            print(f"  kind {kind}: {n}")
    return 1 if files_with else 0


if __name__ == "__main__":
    sys.exit(main())
