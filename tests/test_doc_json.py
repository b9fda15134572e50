"""The JSON the docs show is the JSON the tool writes (session 19): every JSON block of README.md and docs/*.md, read
in the docs' shape notation (tests/doc_shapes.py), compared with real output of the command or route beside it (the
same keys at every level, types, the samples' values where the doc states them), the report's against
``cadre-rules schema report``; the README's request body is input the service and ``evaluate -`` read."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest

from conftest import command
from conftest import install_plugins
from doc_shapes import ANY
from doc_shapes import Shape
from doc_shapes import ShapeCheck
from doc_shapes import read_shape
from doc_shapes import shown_keys
from test_doc_examples import BUNDLED
from test_doc_examples import DOCS
from test_doc_examples import FENCE
from test_doc_examples import ROOT
from test_doc_examples import Block
from test_doc_examples import Command
from test_doc_examples import blocks
from test_doc_examples import commands


def json_blocks(doc: str) -> list[Block]:
    """The blocks of a doc that show JSON: ``json`` ones, and untagged or ``text`` ones that begin as a JSON
    object or one of its keys (``"coverage": […``)."""
    return [b for b in blocks(doc) if b.lang == "json" or (b.lang in ("", "text") and re.match(r'\s*(\{|"\w+"\s*:)',
                                                                                                 b.text))]


AS_OF = "2025-12-31"
EVALUATE = ("evaluate", "examples/hanoi-2025", "--as-of", AS_OF, "--format", "json")
ONE_COMMUNE = ("--scope", "commune:00613")  # Phường Tây Tựu: findings, undecided ones, its shares of the city's
#: a finding of Phường Tây Tựu waived (in the one commune's report: set aside)
WAIVERS = """[[waiver]]
rule = "qualification.theory_advanced"
subject = "HN00613-003"
reason = "Đang học cao cấp lý luận chính trị"
approver = "Sở Nội vụ"
expiry = 2026-12-31
"""

#: name → the command whose JSON it is, run in the folder of the bundled data (where "report" writes
#: ``report.json``, and ``baseline.json`` and ``waivers.toml`` are made from it), or, for a route of the service,
#: the route. The example district plugins are installed (the docs' outputs are a city's that has them).
OUTPUTS: dict[str, tuple[str, ...]] = {
    "report": (*EVALUATE, "-o", "report.json"),
    # its scope, unit_shares, the packs that do not apply to it, a waived finding and a baseline
    "report of one commune": (*EVALUATE, *ONE_COMMUNE, "--waivers", "waivers.toml", "--baseline", "baseline.json"),
    "training": (*EVALUATE, "--group-by", "training"),
    "explain of a commune": ("explain", "examples/hanoi-2025", "--as-of", AS_OF, "--unit", "00613", "--format", "json"),
    "explain of the city": ("explain", "examples/hanoi-2025", "--as-of", AS_OF, "--city", "--format", "json"),
    "match": ("match", "examples/hanoi-2025", "--as-of", AS_OF, "--within", "12", "--format", "json"),
    "match of one commune, assigned": ("match", "examples/hanoi-2025", "--as-of", AS_OF, *ONE_COMMUNE, "--assign",
                                       "--format", "json"),
    "projection": ("project", "examples/hanoi-2025", "--as-of", AS_OF, "--to", "2027-12-31", "--format", "json"),
    "projection of one commune": ("project", "examples/hanoi-2025", "--as-of", AS_OF, "--to", "2027-12-31",
                                  *ONE_COMMUNE, "--format", "json"),
    "GET /v1/packs": ("GET", "/v1/packs"),
    "GET /openapi.json": ("GET", "/openapi.json"),
}


@dataclass(frozen=True)
class ShownJson:
    """What a JSON block of a doc shows: ``of`` says what (a ``fragment``: some keys of it), compared with each of
    ``outputs`` (:data:`OUTPUTS`; ``pick``: the values of an output it shows, by default the whole); ``schema``:
    the ``cadre-rules schema`` its keys are in; ``unsampled``: what the samples do not have."""

    of: str
    outputs: tuple[str, ...]
    fragment: bool = False
    pick: Callable[[Any], list[Any]] | None = None
    schema: str | None = None
    #: keys it shows (by path, as :func:`shown_keys` writes them) that no output of the bundled samples has,
    #: and why
    unsampled: dict[str, str] = field(default_factory=dict)


def _kept_of(ref: str) -> Callable[[Any], list[Any]]:
    def pick(packs: Any) -> list[Any]:
        return [kept for pack in packs for kept in pack["kept"] if kept["ref"] == ref]
    return pick


NO_VACANCY = "the 2025 sample has no vacant post (tests/test_match_found_by.py has one)"
NO_CONCURRENT = "the 2025 sample has no concurrent holding (tests/test_match_concurrent.py has one)"

#: (doc, first line of a block showing JSON) → what it shows.
SHOWN_JSON: dict[tuple[str, str], ShownJson] = {
    ("docs/report.md", "{"): ShownJson("the report (evaluate --format json)", ("report", "report of one commune"),
                                       schema="report"),
    ("docs/report.md", '"unit_shares": ['): ShownJson("the report of one commune: a fragment",
                                                       ("report of one commune",), fragment=True, schema="report"),
    ("docs/report.md", '{"schema": "cadre-rules/training/v1", "cadre_rules_version", "as_of", "packs": [{"id",'
                       '"version","sha256"}],'): ShownJson("the training view (evaluate --group-by training "
                                                           "--format json)", ("training",)),
    ("docs/as-of.md", '"coverage": [{"family", "status": "checked|partial|not_checked", "packs": ["id@version"], '
                      '"reason": str|null}],'): ShownJson("the report: a fragment", ("report",), fragment=True,
                                                          schema="report"),
    ("docs/api.md", '{ "kind": "unit|district|city", "id", "name", "as_of", "packs": ["id@version"],'):
        ShownJson("explain --format json of a scope", ("explain of a commune", "explain of the city")),
    ("docs/api.md", '{"ref": "vn-commune-2tier@2025.07", "version": "2025.07", "sha256": "6b9d8491…", '
                    '"replaced_by": "2025.07.1",'):
        ShownJson("GET /v1/packs: a kept version, vn-commune-2tier@2025.07", ("GET /v1/packs",),
                  pick=_kept_of("vn-commune-2tier@2025.07")),
    ("docs/match.md", '{ "schema": "cadre-rules/match/v1", "cadre_rules_version", "as_of", "backend", "packs": '
                      '["id@version"],'): ShownJson("match --format json",
                                                   ("match", "match of one commune, assigned"),
                                                   unsampled={
                                                       ".posts[].finding.pack": NO_VACANCY,
                                                       ".posts[].finding.rule": NO_VACANCY,
                                                       ".posts[].candidates[].concurrent": NO_CONCURRENT,
                                                       ".posts[].near_misses[].concurrent": NO_CONCURRENT}),
    ("docs/project.md", '{ "schema": "cadre-rules/projection/v1", "cadre_rules_version", "as_of", "to", "step", '
                        '"city",'): ShownJson("project --format json", ("projection", "projection of one commune")),
}


class Outputs:
    """The JSON of each of :data:`OUTPUTS`, made once, when first asked for, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        for name in BUNDLED:
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
        self.folder = folder
        self.made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.made:
            if name == "report of one commune":
                self._baseline_and_waivers()
            with pytest.MonkeyPatch.context() as patch:
                import cadre_rules_ba_vi
                import cadre_rules_hoan_kiem

                install_plugins(patch, **{"ba-vi": cadre_rules_ba_vi, "hoan-kiem": cadre_rules_hoan_kiem})
                self.made[name] = self._made(OUTPUTS[name])
        return self.made[name]

    def _made(self, argv: tuple[str, ...]) -> Any:

        if argv[0] == "GET":
            import asyncio

            import httpx

            from cadre_rules.service._app import Settings
            from cadre_rules.service._app import make_app

            async def get() -> httpx.Response:  # the app without its lifespan: no workers (the packs are its own)
                transport = httpx.ASGITransport(app=make_app(Settings()))
                async with httpx.AsyncClient(transport=transport, base_url="http://cadre-rules") as client:
                    return await client.get(argv[1])

            answer = asyncio.run(get())
            assert answer.status_code == 200, answer.text
            return answer.json()
        code, out, err = command(*argv, cwd=self.folder)
        assert code in (0, 1), f"cadre-rules {' '.join(argv)}: exit code {code}\n{err}"
        return json.loads((self.folder / argv[argv.index("-o") + 1]).read_bytes() if "-o" in argv else out)

    def _baseline_and_waivers(self) -> None:
        """The city's report as the baseline, with a finding of Phường Tây Tựu's since resolved (an official no
        longer there); the waiver of one of its findings."""

        report = self["report"]
        gone = next(f for f in report["findings"] if f["scope_id"] == "00613" and f["subject"]["kind"] == "official")
        gone = {**gone, "subject": {**gone["subject"], "id": "HN00613-999"}}
        baseline = {**report, "findings": [*report["findings"], gone]}
        (self.folder / "baseline.json").write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")
        (self.folder / "waivers.toml").write_text(WAIVERS, encoding="utf-8")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return Outputs(tmp_path_factory.mktemp("outputs"))


def defined_words(doc: str) -> dict[str, Shape]:
    """The shapes a doc's prose defines for a word its blocks use: "a `SUBJECT` (…) is `{…}`"."""
    prose = FENCE.sub("", (ROOT / doc).read_text(encoding="utf-8"))
    return {m.group(1): read_shape(m.group(2)) for m in re.finditer(r"`([A-Z]+)`[^`]*? is `([^`]+)`", prose)}


def _shown(key: tuple[str, str]) -> tuple[Block, Shape]:
    block = next(b for b in blocks(key[0]) if b.key == key[1])
    return block, read_shape(block.text, SHOWN_JSON[key].fragment, defined_words(key[0]))


@pytest.mark.xdist_group("doc-json")  # one module's outputs, made once
@pytest.mark.parametrize("key", list(SHOWN_JSON), ids=lambda key: f"{key[0]}:{SHOWN_JSON[key].of}")
def test_the_json_a_doc_shows_is_what_the_tool_writes(key: tuple[str, str], outputs: Outputs) -> None:
    """The same keys at every level (a key the tool writes is left out only where the doc says ``…``; a key the
    doc shows is written by some output it is compared with), the same types, the samples' values."""
    block, shape = _shown(key)
    shown = SHOWN_JSON[key]
    check = ShapeCheck()
    for name in shown.outputs:
        values = shown.pick(outputs[name]) if shown.pick else [outputs[name]]
        assert values, f"{block.where}: {name} has nothing the block shows"
        for value in values:
            before = len(check.problems)
            check.compare(shape, value)
            check.problems[before:] = [f"{name}: {problem}" for problem in check.problems[before:]]
    never = {path for path in shown_keys(shape) if not path.endswith(".*")} - check.written
    never = {path for path in never if not any(path.startswith((f"{unwritten}.", f"{unwritten}["))
                                               for unwritten in never if unwritten != path)}
    check.problems.extend(f"{path}: shown, but written by none of {list(shown.outputs)}"
                          for path in sorted(never - set(shown.unsampled)))
    check.problems.extend(f"{path}: written now, no longer unsampled ({why})" for path, why in shown.unsampled.items()
                          if path in check.written or path not in shown_keys(shape))
    assert not check.problems, f"{block.where} ({shown.of}):\n" + "\n".join(dict.fromkeys(check.problems))


def _schema_keys(schema: dict[str, Any], root: dict[str, Any], path: str = "") -> set[str]:
    """The keys a JSON Schema allows, by path as :func:`shown_keys` writes them."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rpartition("/")[2]]
    found: set[str] = set()
    for option in (*schema.get("anyOf", ()), *schema.get("oneOf", ())):
        found |= _schema_keys(option, root, path)
    found |= {f"{path}.{key}" for key in schema.get("required", ())}
    for key, sub in schema.get("properties", {}).items():
        found |= {f"{path}.{key}"} | _schema_keys(sub, root, f"{path}.{key}")
    if isinstance(schema.get("additionalProperties"), dict):
        found |= _schema_keys(schema["additionalProperties"], root, f"{path}.*")
    if isinstance(schema.get("items"), dict):
        found |= _schema_keys(schema["items"], root, f"{path}[]")
    return found


@pytest.mark.xdist_group("doc-json")
@pytest.mark.parametrize("key", [key for key, shown in SHOWN_JSON.items() if shown.schema],
                         ids=lambda key: f"{key[0]}:{SHOWN_JSON[key].of}")
def test_the_report_a_doc_shows_is_the_schema_s(key: tuple[str, str], outputs: Outputs) -> None:
    """Every key a doc shows of the report is one ``cadre-rules schema report`` has, and the outputs it is
    compared with are valid against it."""

    import jsonschema

    block, shape = _shown(key)
    shown = SHOWN_JSON[key]
    code, out, err = command("schema", str(shown.schema))
    assert code == 0, err
    schema = json.loads(out)
    missing = sorted(shown_keys(shape) - _schema_keys(schema, schema))
    assert not missing, f"{block.where}: keys not in `cadre-rules schema {shown.schema}`: {missing}"
    for name in shown.outputs:
        jsonschema.validate(outputs[name], schema)


def test_every_json_block_is_compared() -> None:
    shown = {(doc, b.key) for doc in DOCS for b in json_blocks(doc)}
    assert not sorted(shown - set(SHOWN_JSON)), f"JSON blocks not in SHOWN_JSON: {sorted(shown - set(SHOWN_JSON))}"
    assert not sorted(set(SHOWN_JSON) - shown), f"no such block any more: {sorted(set(SHOWN_JSON) - shown)}"


def sent_json(doc: str) -> Iterator[tuple[Command, str]]:
    """The JSON documents a doc's commands send (``curl --data-binary '{…}'``)."""
    for block in blocks(doc):
        if block.shell:
            for cmd in commands(block):
                for flag, value in zip(cmd.argv, cmd.argv[1:], strict=False):
                    if flag in ("--data-binary", "--data", "-d") and value.lstrip().startswith("{"):
                        yield cmd, value


@pytest.mark.xdist_group("doc-json")
def test_the_json_a_doc_sends_is_input_the_tool_reads(outputs: Outputs) -> None:
    """The input document a request sends (README, the service) is the request's json as the service describes it
    (``Input`` of ``GET /openapi.json``: the records of ``cadre-rules schema input``, an official's list columns
    also JSON), and ``cadre-rules evaluate -`` reads it."""

    import jsonschema

    sent = [(cmd, text) for doc in DOCS for cmd, text in sent_json(doc)]
    assert sent, "no doc sends JSON any more"
    openapi = outputs["GET /openapi.json"]
    schema = {"$ref": "#/components/schemas/Input", "components": openapi["components"]}
    for cmd, text in sent:
        document = json.loads(text)
        jsonschema.validate(document, schema)
        code, out, err = command("evaluate", "-", "--as-of", AS_OF, "--format", "json", stdin=text.encode("utf-8"))
        assert code in (0, 1), f"{cmd.where}: {cmd.first}\n{err}"
        read = json.loads(out)["input"]
        assert (read["officials"], read["units"]) == (len(document["officials"]), len(document["units"])), cmd.where


def test_the_shapes_are_read_and_compared() -> None:
    """The notation of the JSON the docs show, read and compared: a key the doc shows that the output does not
    write, one the output writes that the doc leaves out (but after ``…``), a type, a value of the samples, a
    note."""
    shape = read_shape('{"schema": "cadre-rules/report/v3", "n": n, "when": "YYYY-MM-DD", "x": float|null, '
                       '"kind": "unit|city", "sha": "6b9d…", "p": ["id@version"], "m": {"RULE": {"vi", "en"}, …},\n'
                       '"s" (only with --scope), "a" (null without --assign), …}')
    good = {"schema": "cadre-rules/report/v3", "n": 3, "when": "2025-12-31", "x": None, "kind": "city",
            "sha": "6b9d8491", "p": ["vn-commune-2tier@2025.07.2"], "m": {"quota.young": {"vi": "a", "en": "b"}},
            "a": None, "extra": 1}
    check = ShapeCheck()
    check.compare(shape, good)
    assert not check.problems and ".s" not in check.written and ".m" in check.written
    for bad, said in (({"schema": "cadre-rules/report/v2"}, "/.schema: \"cadre-rules/report/v2\""),
                      ({"n": 1.5}, ".n: 1.5, the doc shows n"), ({"n": True}, ".n: true, the doc shows n"),
                      ({"when": "31/12/2025"}, ".when"), ({"x": "0.5"}, ".x: \"0.5\" is none"),
                      ({"kind": "ward"}, ".kind"), ({"sha": "ab"}, ".sha"), ({"p": ["nope"]}, ".p[]"),
                      ({"m": {"quota.young": {"vi": "a"}}}, ".m.*: does not write 'en'"),
                      ({"a": "A1"}, None)):
        check = ShapeCheck()
        check.compare(shape, {**good, **bad})
        assert check.problems if said else not check.problems, (bad, check.problems)
        assert said is None or said.removeprefix("/") in check.problems[0], (said, check.problems)
    missing = ShapeCheck()
    missing.compare(shape, {k: v for k, v in good.items() if k != "when"})
    assert missing.problems == ["/: does not write 'when'"]
    closed = ShapeCheck()
    closed.compare(read_shape('{"pack","id"}'), {"pack": "p", "id": "i", "per": "unit"})
    assert closed.problems == ["/: writes ['per'], which the doc leaves out"]
    assert read_shape('"coverage": [{"family"}],\n"districts": "none|kept"', fragment=True).open
    words = read_shape('[ as the report\'s, with "cite" ]')
    assert words.kind == "array" and words.item == ANY
    subject = read_shape('{"kind", "name" (only an official\'s)}')
    assert read_shape('{"subject": SUBJECT}', words={"SUBJECT": subject}).keys[0][1].shape is subject
    assert shown_keys(read_shape('{"a": [{"b"}], "c": {"K": {"d"}}}')) == {".a", ".a[].b", ".c", ".c.*.d"}
    with pytest.raises(ValueError, match="more after the shape"):
        read_shape('{"a"} {"b"}')
