"""fastlint/dockerignore.py against moby/patternmatcher's own test cases (re-typed here as data) and against the
way BuildKit and fsutil apply the matcher to a build context."""

from __future__ import annotations

import pytest

from fastlint import dockerignore
from fastlint.dockerignore import DockerIgnoreError, PatternMatcher, clean, load, read_patterns

# (pattern, path, matches): patternmatcher's table for MatchesOrParentMatches and the walk's MatchesUsingParentResults
SINGLE = [
    ("**", "file", True), ("**", "file/", True), ("**/", "file", True), ("**/", "file/", True),
    ("**", "/", True), ("**/", "/", True), ("**", "dir/file", True), ("**/", "dir/file", True),
    ("**", "dir/file/", True), ("**/", "dir/file/", True), ("**/**", "dir/file", True),
    ("**/**", "dir/file/", True), ("dir/**", "dir/file", True), ("dir/**", "dir/file/", True),
    ("dir/**", "dir/dir2/file", True), ("dir/**", "dir/dir2/file/", True), ("**/dir", "dir", True),
    ("**/dir", "dir/file", True), ("**/dir2/*", "dir/dir2/file", True), ("**/dir2/*", "dir/dir2/file/", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True), ("**/dir2/**", "dir/dir2/dir3/file/", True),
    ("**file", "file", True), ("**file", "dir/file", True), ("**/file", "dir/file", True),
    ("**file", "dir/dir/file", True), ("**/file", "dir/dir/file", True), ("**/file*", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True), ("**/file*txt", "dir/dir/file.txt", True),
    ("**/file*.txt", "dir/dir/file.txt", True), ("**/file*.txt*", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True), ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True), ("**/**/*.txt", "file.txt", True), ("a**/*.txt", "a/file.txt", True),
    ("a**/*.txt", "a/dir/file.txt", True), ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False), ("a/*.txt", "a/file.txt", True), ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False), ("a[b-d]e", "ace", True), ("a[b-d]e", "aae", False), ("a[^b-d]e", "aze", True),
    (".*", ".foo", True), (".*", "foo", False), ("abc.def", "abcdef", False), ("abc.def", "abc.def", True),
    ("abc.def", "abcZdef", False), ("abc?def", "abcZdef", True), ("abc?def", "abcdef", False),
    ("a\\\\", "a\\", True), ("**/foo/bar", "foo/bar", True), ("**/foo/bar", "dir/foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True), ("abc/**", "abc", False), ("abc/**", "abc/def", True),
    ("abc/**", "abc/def/ghi", True), ("**/.foo", ".foo", True), ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True), ("a(b)c/def", "a(b)c/xyz", False),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("dist/pkg.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/pkg.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
     True),
    ("dist/*.whl", "dist/pkg.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    ("a\\*b", "a*b", True),
]

MULTI = [
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (["**", "!dist/pkg.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"],
     "dist/pkg.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
    (["**", "!dist/*.whl"], "dist/pkg.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
]

# (pattern, name, matches, malformed): the filepath.Match table patternmatcher runs through its Matches
GLOB = [
    ("abc", "abc", True, False), ("*", "abc", True, False), ("*c", "abc", True, False), ("a*", "a", True, False),
    ("a*", "abc", True, False), ("a*", "ab/c", True, False), ("a*/b", "abc/b", True, False),
    ("a*/b", "a/c/b", False, False), ("a*b*c*d*e*/f", "axbxcxdxe/f", True, False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True, False), ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False, False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False, False), ("a*b?c*x", "abxbbxdbxebxczzx", True, False),
    ("a*b?c*x", "abxbbxdbxebxczzy", False, False), ("ab[c]", "abc", True, False), ("ab[b-d]", "abc", True, False),
    ("ab[e-g]", "abc", False, False), ("ab[^c]", "abc", False, False), ("ab[^b-d]", "abc", False, False),
    ("ab[^e-g]", "abc", True, False), ("a\\*b", "a*b", True, False), ("a\\*b", "ab", False, False),
    ("a?b", "a☺b", True, False), ("a[^a]b", "a☺b", True, False), ("a???b", "a☺b", False, False),
    ("a[^a][^a][^a]b", "a☺b", False, False), ("[a-ζ]*", "α", True, False), ("*[a-ζ]", "A", False, False),
    ("a?b", "a/b", False, False), ("a*b", "a/b", False, False), ("[\\]a]", "]", True, False),
    ("[\\-]", "-", True, False), ("[x\\-]", "x", True, False), ("[x\\-]", "-", True, False),
    ("[x\\-]", "z", False, False), ("[\\-x]", "x", True, False), ("[\\-x]", "-", True, False),
    ("[\\-x]", "a", False, False), ("[]a]", "]", False, True), ("[-]", "-", False, True),
    ("[x-]", "x", False, True), ("[x-]", "-", False, True), ("[x-]", "z", False, True), ("[-x]", "x", False, True),
    ("[-x]", "-", False, True), ("[-x]", "a", False, True), ("\\", "a", False, True),
    ("[a-b-c]", "a", False, True), ("[", "a", False, True), ("[^", "a", False, True), ("[^bc", "a", False, True),
    ("a[", "a", False, True), ("a[", "ab", False, True), ("*x", "xxx", True, False),
]

# (pattern, kind, regular expression): how patternmatcher compiles a pattern
COMPILED = [
    ("*", "regex", "^[^/]*$"), ("file*", "regex", "^file[^/]*$"), ("*file", "regex", "^[^/]*file$"),
    ("a*/b", "regex", "^a[^/]*/b$"), ("**", "suffix", ""), ("**/**", "regex", "^(.*/)?.*$"),
    ("dir/**", "prefix", ""), ("**/dir", "suffix", ""), ("**/dir2/*", "regex", "^(.*/)?dir2/[^/]*$"),
    ("**/dir2/**", "regex", "^(.*/)?dir2/.*$"), ("**file", "suffix", ""),
    ("**/file*txt", "regex", "^(.*/)?file[^/]*txt$"), ("**/**/*.txt", "regex", "^(.*/)?(.*/)?[^/]*\\.txt$"),
    ("a[b-d]e", "regex", "^a[b-d]e$"), (".*", "regex", "^\\.[^/]*$"), ("abc.def", "exact", ""),
    ("abc?def", "regex", "^abc[^/]def$"), ("**/foo/bar", "suffix", ""), ("a(b)c/def", "exact", ""),
    ("a.|)$(}+{bc", "exact", ""), ("dist/pkg.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "exact", ""),
]


def walk_match(matcher: PatternMatcher, path: str) -> bool:
    """MatchesUsingParentResults as the context walk calls it: each parent folder first, its results passed on."""
    parent = dockerignore.dirname(path)
    info = None
    if parent != ".":
        dirs = parent.split("/")
        for i in range(len(dirs)):
            _, info = matcher.matches_using_parent_results("/".join(dirs[: i + 1]), info)
    return matcher.matches_using_parent_results(path, info)[0]


@pytest.mark.parametrize(("pattern", "path", "expected"), SINGLE)
def test_single_pattern(pattern, path, expected):
    m = PatternMatcher([pattern])
    assert m.matches_or_parent_matches(path) is expected
    assert walk_match(m, path) is expected
    assert m.matches_using_parent_results(path, None)[0] is expected


@pytest.mark.parametrize(("patterns", "path", "expected"), MULTI)
def test_several_patterns(patterns, path, expected):
    m = PatternMatcher(patterns)
    assert m.matches_or_parent_matches(path) is expected
    assert walk_match(m, path) is expected
    assert m.matches_using_parent_results(path, None)[0] is expected


@pytest.mark.parametrize(("pattern", "name", "expected", "malformed"), GLOB)
def test_glob_table(pattern, name, expected, malformed):
    if malformed:
        with pytest.raises(DockerIgnoreError):
            PatternMatcher([pattern])
        return
    assert PatternMatcher([pattern]).matches_or_parent_matches(clean(name)) is expected


@pytest.mark.parametrize(("pattern", "kind", "regex"), COMPILED)
def test_compiled_form(pattern, kind, regex):
    p = PatternMatcher([pattern]).patterns[0]
    assert p.kind == kind
    if kind == "regex":
        assert p.regex.pattern == regex[:-1] + "\\Z"


def test_simple_matches():
    assert PatternMatcher(["*"]).matches_or_parent_matches("fileutils.go")
    assert PatternMatcher(["*.go"]).matches_or_parent_matches("fileutils.go")
    # an exception before the pattern does not undo it; after it, it does
    assert PatternMatcher(["!fileutils.go", "*.go"]).matches_or_parent_matches("fileutils.go")
    assert not PatternMatcher(["*.go", "!fileutils.go"]).matches_or_parent_matches("fileutils.go")
    for folder in ("docs", "docs/", "docs/*"):
        assert not PatternMatcher([folder, "!docs/README.md"]).matches_or_parent_matches("docs/README.md")
    assert not PatternMatcher([]).matches_or_parent_matches("any/path/there")


def test_errors():
    with pytest.raises(DockerIgnoreError, match="illegal exclusion"):
        PatternMatcher(["!"])
    with pytest.raises(DockerIgnoreError):
        PatternMatcher(["["])
    # passes filepath.Match's check, fails as a regular expression: only when a path is tried, every time
    m = PatternMatcher(["[Local-Only]/"])
    for _ in range(2):
        with pytest.raises(DockerIgnoreError):
            m.matches_or_parent_matches("x")


def test_cleaning_and_flags():
    m = PatternMatcher(["docs", "config", ""])
    assert [p.text for p in m.patterns] == ["docs", "config"]
    assert PatternMatcher(["docs", "!docs/README.md"]).exclusions
    assert PatternMatcher(["docs", "  !docs/README.md"]).exclusions
    assert PatternMatcher(["docs", "!docs/README.md  "]).exclusions
    assert clean("a//b/../c/.") == "a/c"
    assert clean("../../a/..") == "../.."
    assert clean("/..") == "/"
    assert clean("") == "."


def test_read_patterns():
    text = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! "
    assert [p for p, _ in read_patterns(text)] == [
        "test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"]
    assert read_patterns("\ufeffa\r\n  # not a comment\n#comment\n") == [("a", 1), ("# not a comment", 2)]


# -- as BuildKit and fsutil apply it to a context ----------------------------------------------------------------
def make_context(tmp_path, ignore: str, files=(), name=".dockerignore"):
    (tmp_path / name).write_text(ignore, encoding="utf-8")
    for f in files:
        p = tmp_path / f
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    return tmp_path


def test_load_no_file(tmp_path):
    di = load(tmp_path)
    assert di.path is None and not di.ignored("anything") and not di.matches("anything")


def test_folder_and_exception(tmp_path):
    ctx = make_context(tmp_path, "docs\n!docs/README.md\n*.log\n", ["docs/README.md", "docs/a.md", "x.log"])
    di = load(ctx)
    assert di.ignored("x.log") and di.ignored("docs/a.md")
    assert not di.ignored("docs/README.md")
    assert not di.ignored("docs")  # excluded, but the exception brings a file inside back
    assert not di.ignored("./docs/../Dockerfile") and not di.ignored("/other")


def test_excluded_folder_without_exception_is_skipped_whole(tmp_path):
    ctx = make_context(tmp_path, "node_modules\n", ["node_modules/a/b.js"])
    di = load(ctx)
    assert di.ignored("node_modules") and di.ignored("node_modules/a/b.js")
    assert not di.ignored("src/node_modules")  # anchored at the root, unlike .gitignore


def test_exception_that_cannot_reach(tmp_path):
    # an exception written as a glob: fsutil cannot tell, walks the folder, and the exception brings the file back
    ctx = make_context(tmp_path, "build\n!build/*.txt\n", ["build/a.txt", "build/b.bin"])
    di = load(ctx)
    assert not di.ignored("build/a.txt") and di.ignored("build/b.bin")


def test_dockerfile_specific_file_wins(tmp_path):
    make_context(tmp_path, "a\n")
    make_context(tmp_path, "b\n", name="app.Dockerfile.dockerignore")
    di = load(tmp_path, tmp_path / "app.Dockerfile")
    assert di.ignored("b") and not di.ignored("a")
    assert load(tmp_path, tmp_path / "Dockerfile").ignored("a")


def test_bad_file_names_file_and_line(tmp_path):
    make_context(tmp_path, "ok\n\n[\n")
    with pytest.raises(DockerIgnoreError) as err:
        load(tmp_path)
    assert err.value.line == 3 and err.value.file.endswith(".dockerignore")


def test_excluded_dockerfile_is_not_in_the_copy_context(tmp_path):
    di = load(make_context(tmp_path, "Dockerfile\n.dockerignore\n", ["Dockerfile"]))
    assert di.ignored("Dockerfile") and di.ignored(".dockerignore")
