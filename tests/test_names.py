"""Names on real documents: what a Python developer would have written.

For every document of ../shared/specs/corpus/ and Mailgun's full spec
(skipped, with the reason, where ../shared is absent): numbers the generator
adds to a name are rare and each is explained by an info line, method names
are words of their operation (never several run together), and untagged
operations are spread over resources by path. Three documents also have a
checked-in names table (``tests/names/<doc>.txt``, the ``names`` command's
output), reviewed by hand; ``UPDATE_GOLDEN=1`` rewrites them.
"""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import CORPUS, ROOT, corpus_documents

from generator.cli import main
from generator.diagnostics import Diagnostic, Level
from generator.ir import Api
from generator.naming import words
from generator.operation_ids import VERBS, segment
from generator.pipeline import analyse

DOCUMENTS = corpus_documents(full_spec=True)
TABLES = ROOT / "tests" / "names"
TABLE_DOCUMENTS = ["mistral", "prefect-server", "svix"]
ABSENT = pytest.mark.skipif(
    not DOCUMENTS, reason=f"{CORPUS} is absent (it lives in ../shared)"
)
# Words a method name may have that its operation does not spell: the verbs
# names are made of, and what tells twins apart.
NAME_WORDS = VERBS | {"all", "by", "json", "form", "multipart", "raw"}


def _analysed(spec: Path) -> tuple[Api, list[Diagnostic]]:
    result = analyse(spec, ())
    assert result.api is not None, [str(d) for d in result.diagnostics[:5]]
    return result.api, result.diagnostics


def _numbered(diags: list[Diagnostic], what: str) -> list[str]:
    """Names the generator gave a number, from the info lines that say so."""
    out = []
    for d in diags:
        if d.level is not Level.INFO:
            continue
        m = re.match(rf"{what} .* is already taken; using '(\w+)'", d.message)
        n = re.match(r"class '(\w+)' is numbered", d.message)
        if m:
            out.append(m.group(1))
        elif n and what == "class name":
            out.append(n.group(1))
    return out


@ABSENT
@pytest.mark.parametrize("spec", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_numbers_are_rare_and_explained(spec: Path) -> None:
    api, diags = _analysed(spec)
    methods = [op.method_name for r in api.resources for op in r.operations]
    classes = [m.name for m in api.models] + [e.name for e in api.enums]
    numbered_methods = _numbered(diags, "method name")
    numbered_classes = [n for n in _numbered(diags, "class name") if n in classes]
    assert len(numbered_methods) <= 0.01 * len(methods), numbered_methods
    assert len(numbered_classes) <= 0.02 * max(len(classes), 1), numbered_classes
    # Every name that ends in a number the spec does not give (an API
    # version, "oauth2") is one of them.
    flat = re.sub(r"[^a-z0-9]", "", spec.read_text(encoding="utf-8").lower())
    for name in [*methods, *classes]:
        if not re.search(r"\d$", name) or re.search(r"(?i)v\d+$", name):
            continue
        tail = re.sub(r"[^a-z0-9]", "", words(name)[-1] if words(name) else name)
        if re.fullmatch(r"\d+", tail):  # "oauth_2": the word before it too
            tail = "".join(words(name)[-2:])
        if tail not in flat:
            assert name in numbered_methods + numbered_classes, name


@ABSENT
@pytest.mark.parametrize("spec", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_method_names_are_words_of_their_operation(spec: Path) -> None:
    """Each word of a method name is a word the operation's id, path, tag or
    summary uses (or a verb), and no word is several such words run
    together (``getorganizationspendlimit``)."""
    api, _ = _analysed(spec)
    bad = []
    for resource in api.resources:
        for op in resource.operations:
            # What the operation says in words, apart from its id.
            said = {
                *words(op.path),
                *words(resource.tag),
                *words(op.summary),
                *words(op.description),
            }
            said |= {f"{w}s" for w in said} | {w[:-1] for w in said if w[-1:] == "s"}
            for word in words(op.method_name):
                if word in NAME_WORDS or word.isdigit() or re.fullmatch(r"v\d+", word):
                    continue
                if word not in said and word not in words(op.operation_id):
                    bad.append(
                        f"{resource.attr}.{op.method_name}: {word!r} is not said"
                    )
                    continue
                split = segment(word, frozenset(w for w in said if len(w) > 2))
                if word not in said and split is not None and len(split) > 1:
                    bad.append(
                        f"{resource.attr}.{op.method_name}: {word!r} runs {split}"
                    )
    assert not bad, bad


@ABSENT
@pytest.mark.parametrize("spec", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_untagged_operations_are_spread_over_resources(spec: Path) -> None:
    api, _ = _analysed(spec)
    sizes = {r.attr: len(r.operations) for r in api.resources}
    total = sum(sizes.values())
    assert sizes.get("default", 0) <= max(5, total // 10), sizes


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")
@pytest.mark.parametrize("doc", TABLE_DOCUMENTS)
def test_names_table(doc: str) -> None:
    """The names table of three corpus documents, as reviewed."""
    [spec] = [p for p in CORPUS.glob(f"{doc}.openapi.*")]
    result = CliRunner().invoke(main, ["names", "--spec", str(spec)])
    assert result.exit_code == 0, result.output
    # The table names the spec by its path: keep only the file name.
    got = result.output.replace(str(spec.parent) + os.sep, "")
    table = TABLES / f"{doc}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        table.parent.mkdir(exist_ok=True)
        table.write_text(got, encoding="utf-8")
    assert table.exists(), f"run UPDATE_GOLDEN=1 pytest {__file__} and review"
    want = table.read_text(encoding="utf-8")
    assert got == want, f"{table} differs; run UPDATE_GOLDEN=1 and review the change"
