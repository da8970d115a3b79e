"""Rulebooks that ``extends:`` another: edits by id, and issues that point at the right file."""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.core._issues import Issue
from wzeval.model._extends import MAX_EXTENDS_DEPTH, MergedDocument, resolve_extends
from wzeval.model._models import Rulebook
from wzeval.reading._loader import load_document
from wzeval.scoring._api import read_rulebook, rulebook_from_document

KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"
CORPUS_CHILD = ROOT / "tests" / "corpus" / "extends" / "kinds-2024.yaml"

HEADER = "wzeval: rulebook/1\nextends: base.yaml\nid: child\n"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """tests/rulebooks/kinds.yaml copied to tmp_path/base.yaml."""
    target = tmp_path / "base.yaml"
    shutil.copy(KINDS, target)
    return target


def write(tmp_path: Path, body: str, name: str = "child.yaml", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def load(path: Path) -> Rulebook:
    rb, issues = read_rulebook(path)
    assert rb is not None, [i.format() for i in issues]
    assert [i for i in issues if i.severity == "error"] == []
    return rb


def errors(path: Path) -> list[Issue]:
    rb, issues = read_rulebook(path)
    assert rb is None
    return [i for i in issues if i.severity == "error"]


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# ----------------------------------------------------------------------------- merging


def test_override_replaces_fields_and_keeps_the_rest(base: Path, tmp_path: Path) -> None:
    """An edit by id replaces the fields it names; everything else is the base's."""
    child = write(
        tmp_path,
        "indicators:\n"
        "  checks:\n"
        "    name: 检查项\n"
        "    items:\n"
        "      i1: {share: 40%}\n"
        "      i2: {share: 60%}\n",
    )
    rb = load(child)
    old = load(base)
    checks = rb.indicator("checks")
    assert checks.name == "检查项"
    assert [(it.id, it.share) for it in checks.items] == [
        ("i1", Fraction(2, 5)),
        ("i2", Fraction(3, 5)),
    ]
    assert checks.items[0].source == "1.甲，50%"  # an unedited field of an edited item
    assert checks.vetoes == old.indicator("checks").vetoes
    assert [i.id for i in rb.indicators] == [i.id for i in old.indicators]
    assert rb.indicators[1:] == old.indicators[1:]
    assert (rb.id, rb.year, rb.departments) == ("child", 2023, old.departments)


def test_add_places_new_parts_after_or_before_an_id(base: Path, tmp_path: Path) -> None:
    """add_* appends, or inserts where after:/before: say; the directives are not kept."""
    child = write(
        tmp_path,
        "indicators:\n"
        "  checks:\n"
        "    weight: 8\n"
        "    add_facts:\n"
        "      - {id: c, type: bool, ask: 丙？, before: a}\n"
        "    add_vetoes:\n"
        "      - {id: v2, when: not c}\n"
        "add_indicators:\n"
        "  - id: extra\n"
        "    name: 新增\n"
        "    after: checks\n"
        "    weight: 2\n"
        "    weight_source: assumed\n"
        "    facts: [{id: ok, type: bool, ask: 好？}]\n"
        "    items: [{id: ok, share: 100%, check: ok}]\n"
        "add_departments:\n"
        "  - {id: c, name: 丙局, before: b}\n",
    )
    rb = load(child)
    assert [i.id for i in rb.categories[0].indicators][:3] == ["checks", "extra", "tiers"]
    assert rb.indicator("extra").category_id == "base"
    assert [f.id for f in rb.indicator("checks").facts] == ["c", "a", "b", "fake"]
    assert [v.id for v in rb.indicator("checks").vetoes] == ["v", "v2"]
    assert [d.id for d in rb.departments] == ["a", "c", "b"]


def test_remove_drops_parts_by_id(base: Path, tmp_path: Path) -> None:
    """remove_* drops parts by id; removing a whole indicator frees its weight."""
    child = write(
        tmp_path,
        "remove_indicators: [given]\n"
        "indicators:\n"
        "  deduct:\n"
        "    weight: 31\n"
        "    remove_deductions: [bad]\n"
        "    remove_facts: [bad]\n",
    )
    rb = load(child)
    assert "given" not in [i.id for i in rb.indicators]
    deduct = rb.indicator("deduct")
    assert deduct.deductions == [] and [f.id for f in deduct.facts] == ["late", "severe"]


def test_remove_then_add_replaces_a_part_wholesale(base: Path, tmp_path: Path) -> None:
    """remove_items: [x] with add_items: [{id: x …}] replaces x; nothing of the old x remains."""
    child = write(
        tmp_path,
        "indicators:\n"
        "  checks:\n"
        "    remove_items: [i1]\n"
        "    add_items:\n"
        "      - {id: i1, share: 50%, check: a and b, before: i2}\n",
    )
    item = load(child).indicator("checks").items[0]
    assert (item.id, item.check, item.source) == ("i1", "a and b", None)


def test_a_list_replaces_the_whole_list(base: Path, tmp_path: Path) -> None:
    """Writing an id'd list as a list (not a mapping of edits) replaces it whole."""
    child = write(
        tmp_path,
        "indicators:\n  checks:\n    items:\n      - {id: only, share: 100%, check: a}\n",
    )
    assert [i.id for i in load(child).indicator("checks").items] == ["only"]


def test_naming_another_credit_rule_switches_the_rule(base: Path, tmp_path: Path) -> None:
    """An item edit with tiers: drops the item's old proportion rule instead of keeping both."""
    child = write(
        tmp_path,
        "indicators:\n"
        "  prop:\n"
        "    items:\n"
        "      spot: {tiers: [{when: passed == checked, credit: 100%}]}\n",
    )
    item = load(child).indicator("prop").items[0]
    assert item.rule_kind == "tiers" and item.proportion is None


def test_fixed_mappings_merge_and_keyed_mappings_replace(base: Path, tmp_path: Path) -> None:
    """given: merges field by field; levels.credits (keyed by options) is replaced whole."""
    child = write(
        tmp_path,
        "indicators:\n"
        "  given:\n"
        "    items:\n"
        "      p: {given: {out_of: 2}}\n"
        "  levels:\n"
        "    facts:\n"
        "      form: {options: [low, high]}\n"
        "    items:\n"
        "      form: {levels: {credits: {low: 50%, high: 100%}}}\n",
    )
    rb = load(child)
    given = rb.indicator("given").items[0].given
    assert given is not None and (given.value, given.out_of) == ("mean(panel)", Decimal(2))
    levels = rb.indicator("levels").items[0].levels
    assert levels is not None and levels.fact == "form"
    assert levels.credits == {"low": Fraction(1, 2), "high": Fraction(1)}


def test_category_group_catalog_and_moves(base: Path, tmp_path: Path) -> None:
    """Categories, groups and catalog entries edit by id; category: moves an indicator."""
    child = write(
        tmp_path,
        "categories:\n"
        "  base: {add_groups: [{id: g2, name: 二组}]}\n"
        "  bonus: {name: 加分项, weight: 4}\n"
        "catalogs:\n"
        "  app1:\n"
        "    entries:\n"
        "      a: {duties: [{title: 公开乙}]}\n"
        "    add_entries: [{department: b, duties: [{title: 公开丙}]}]\n"
        "indicators:\n"
        "  bands: {group: g2}\n"
        "  checklist: {category: bonus, before: praise, weight: 2, group: null}\n"
        "  given: {weight: 20}\n",
    )
    rb = load(child)
    assert [g.id for g in rb.categories[0].groups] == ["g1", "g2"]
    assert rb.indicator("bands").group == "g2"
    assert [i.id for i in rb.categories[1].indicators] == ["checklist", "praise"]
    assert rb.indicator("checklist").kind == "bonus"
    assert rb.categories[1].name == "加分项"
    assert [(e.department, e.duties[0].title) for e in rb.catalogs[0].entries] == [
        ("a", "公开乙"),
        ("b", "公开丙"),
    ]


def test_corpus_example_loads_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/corpus/extends/kinds-2024.yaml (one edit of each sort) loads without any issue."""
    monkeypatch.chdir(ROOT)
    rb, issues = read_rulebook(CORPUS_CHILD)
    assert rb is not None and issues == []
    assert rb.id == "kinds-2024" and rb.file == str(CORPUS_CHILD)
    assert rb.indicator("accessible").weight == 2


def test_a_chain_of_rulebooks_merges_in_order(base: Path, tmp_path: Path) -> None:
    """c extends b extends base: each layer's edits apply on top of the one below."""
    write(tmp_path, "indicators:\n  checks: {name: 中间}\n", name="b.yaml")
    child = write(
        tmp_path,
        "indicators:\n  tiers: {name: 顶层}\n",
        name="c.yaml",
        header="wzeval: rulebook/1\nextends: b.yaml\nid: c\n",
    )
    rb = load(child)
    assert (rb.indicator("checks").name, rb.indicator("tiers").name) == ("中间", "顶层")
    doc = resolve_extends(load_document(child))
    assert isinstance(doc, MergedDocument)
    assert [Path(f).name for f in doc.files] == ["c.yaml", "b.yaml", "base.yaml"]


def test_bundled_base_is_read_by_name(tmp_path: Path) -> None:
    """extends: bundled:2023 reads the rulebook shipped with wzeval."""
    child = write(
        tmp_path,
        "title: 2024年\nyear: 2024\n",
        header="wzeval: rulebook/1\nextends: bundled:2023\nid: xianning-2024\n",
    )
    rb = load(child)
    bundled = wzeval.load_rulebook()
    assert rb.year == 2024 and rb.categories == bundled.categories


def test_a_document_without_extends_is_untouched(base: Path) -> None:
    """resolve_extends returns an ordinary document as it is."""
    doc = load_document(base)
    assert resolve_extends(doc) is doc


# ----------------------------------------------------------------------------- positions


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_indicator_points_at_the_child_key_with_a_hint(base: Path, tmp_path: Path) -> None:
    """Editing an unknown indicator id: WZ253 at the key's file:line in the child, did-you-mean."""
    child = write(tmp_path, "indicators:\n  chekcs: {weight: 10}\n")
    (issue,) = errors(child)
    assert issue.code == "WZ253" and "'chekcs'" in issue.message
    assert issue.position is not None
    assert (issue.position.file, issue.position.line, issue.position.col) == (str(child), 5, 3)
    assert issue.hint == "did you mean 'checks'?"


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_unknown_item_and_bad_removal_point_into_the_child(base: Path, tmp_path: Path) -> None:
    """An unknown item id and an unknown id to remove each get WZ253 at their own line."""
    child = write(
        tmp_path,
        "indicators:\n"
        "  checks:\n"
        "    items:\n"
        "      i3: {share: 10%}\n"
        "    remove_vetoes: [vv]\n"
        "remove_indicators: [nosuch]\n",
    )
    found = sorted(errors(child), key=lambda i: i.position.line if i.position else 0)
    assert [(i.code, i.position.line if i.position else 0) for i in found] == [
        ("WZ253", line_of(child, "i3:")),
        ("WZ253", line_of(child, "remove_vetoes")),
        ("WZ253", line_of(child, "remove_indicators")),
    ]
    assert all(i.position and i.position.file == str(child) for i in found)
    assert "item 'i3' in indicator 'checks'" in found[0].message
    assert found[1].hint == "did you mean 'v'?"


def test_adding_an_existing_id_is_an_error(base: Path, tmp_path: Path) -> None:
    """add_items with an id the indicator already has: WZ254 at that id in the child."""
    child = write(
        tmp_path,
        "indicators:\n  checks:\n    add_items:\n      - {id: i1, share: 10%, check: a}\n",
    )
    (issue,) = errors(child)
    assert issue.code == "WZ254" and issue.position is not None
    assert issue.position.line == line_of(child, "{id: i1")


def test_malformed_edits_are_reported(base: Path, tmp_path: Path) -> None:
    """An edit that is not a mapping, a list beside add_*, and after+before: WZ255 each."""
    child = write(
        tmp_path,
        "indicators:\n"
        "  checks:\n"
        "    items: [{id: i1, share: 100%, check: a}]\n"
        "    add_items: [{id: i9, share: 0%, check: a}]\n"
        "  tiers: 5\n"
        "add_indicators:\n"
        "  - {id: x, name: X, weight: 1, weight_source: stated, after: checks, before: tiers}\n",
    )
    codes = [i.code for i in errors(child) if i.code.startswith("WZ25")]
    assert codes == ["WZ255", "WZ255", "WZ255"]


def test_error_in_a_child_value_points_at_the_child(base: Path, tmp_path: Path) -> None:
    """A bad amount the child wrote is a schema error at the child's line."""
    child = write(tmp_path, "indicators:\n  checks:\n    items:\n      i1: {share: 50}\n")
    (issue,) = errors(child)
    assert issue.code == "WZ201" and issue.position is not None
    assert (issue.position.file, issue.position.line) == (str(child), line_of(child, "share: 50"))


def test_error_in_an_inherited_part_points_at_the_base(base: Path, tmp_path: Path) -> None:
    """Renaming a fact breaks an inherited expression: the issue points into the base file."""
    child = write(tmp_path, "indicators:\n  checks:\n    facts:\n      a: {id: aa}\n")
    (issue,) = errors(child)
    assert issue.code == "WZ302" and "'a'" in issue.message
    assert issue.position is not None
    line = line_of(base, "{id: i1, share: 50%, check: a,")
    col = base.read_text(encoding="utf-8").splitlines()[line - 1].index("check: a") + 8
    assert (issue.position.file, issue.position.line, issue.position.col) == (
        str(base),
        line,
        col,
    )


def test_expression_column_points_inside_a_child_expression(base: Path, tmp_path: Path) -> None:
    """An unknown name in an expression the child wrote is placed at its column there."""
    child = write(tmp_path, "indicators:\n  checks:\n    items:\n      i1: {check: a and zz}\n")
    (issue,) = errors(child)
    assert issue.position is not None
    text_line = child.read_text(encoding="utf-8").splitlines()[issue.position.line - 1]
    assert issue.position.file == str(child)
    assert text_line[issue.position.col - 1 :].startswith("zz")


def test_weights_that_no_longer_add_up_point_at_the_base_category(
    base: Path, tmp_path: Path
) -> None:
    """A child weight edit breaking its category's sum is reported at the category's weight."""
    child = write(tmp_path, "indicators:\n  checks: {weight: 12}\n")
    (issue,) = errors(child)
    assert issue.code == "WZ203" and issue.position is not None
    assert (issue.position.file, issue.position.line) == (str(base), line_of(base, "weight: 100"))


def test_report_positions_follow_each_part_to_its_file(base: Path, tmp_path: Path) -> None:
    """The compiled rulebook's positions: an added indicator in the child, the rest in the base."""
    child = write(
        tmp_path,
        "indicators:\n  checks: {weight: 8}\n"
        "add_indicators:\n"
        "  - {id: extra, name: 新增, category: base, weight: 2, weight_source: assumed,"
        " facts: [{id: ok, type: bool, ask: 好？}], items: [{id: ok, share: 100%, check: ok}]}\n",
    )
    crb = wzeval.scoring._api.compiled(load(child))
    assert (
        crb.positions[("categories", 0, "indicators", 1)] == f"{base}:{line_of(base, 'id: tiers')}"
    )
    assert crb.positions[("categories", 0, "indicators", 9)] == f"{child}:{line_of(child, 'extra')}"


# ----------------------------------------------------------------------------- the chain itself


def test_the_child_needs_its_own_id(base: Path, tmp_path: Path) -> None:
    """An extending rulebook that keeps the base's id (or gives none) is WZ256."""
    child = write(tmp_path, "", header="wzeval: rulebook/1\nextends: base.yaml\nid: kinds\n")
    assert [i.code for i in errors(child)] == ["WZ256"]
    child = write(tmp_path, "", header="wzeval: rulebook/1\nextends: base.yaml\n")
    assert [i.code for i in errors(child)] == ["WZ256"]


def test_a_cycle_is_an_error(tmp_path: Path) -> None:
    """a extends b extends a: WZ251 naming the cycle, at the extends line that closes it."""
    write(tmp_path, "", name="a.yaml", header="wzeval: rulebook/1\nextends: b.yaml\nid: a\n")
    b = write(tmp_path, "", name="b.yaml", header="wzeval: rulebook/1\nextends: a.yaml\nid: b\n")
    (issue,) = errors(tmp_path / "a.yaml")
    assert issue.code == "WZ251" and "a.yaml → " in issue.message
    assert issue.position is not None and (issue.position.file, issue.position.line) == (str(b), 2)


def test_a_rulebook_cannot_extend_itself(tmp_path: Path) -> None:
    """extends naming the file itself is a cycle of one."""
    me = write(tmp_path, "", name="me.yaml", header="wzeval: rulebook/1\nextends: me.yaml\nid: m\n")
    assert [i.code for i in errors(me)] == ["WZ251"]


def test_chains_longer_than_the_limit_are_refused(base: Path, tmp_path: Path) -> None:
    """MAX_EXTENDS_DEPTH steps load; one more is WZ252."""
    prev = "base.yaml"
    for n in range(1, MAX_EXTENDS_DEPTH + 2):
        write(
            tmp_path,
            "",
            name=f"l{n}.yaml",
            header=f"wzeval: rulebook/1\nextends: {prev}\nid: l{n}\n",
        )
        prev = f"l{n}.yaml"
    assert load(tmp_path / f"l{MAX_EXTENDS_DEPTH}.yaml").id == f"l{MAX_EXTENDS_DEPTH}"
    assert [i.code for i in errors(tmp_path / f"l{MAX_EXTENDS_DEPTH + 1}.yaml")] == ["WZ252"]


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("/etc/passwd.yaml", "WZ257"),
        ("~/rulebook.yaml", "WZ257"),
        ("https://example.com/2023.yaml", "WZ257"),
        ("base.txt", "WZ257"),
        ("bsae.yaml", "WZ250"),
        ("bundled:2099", "WZ250"),
    ],
)
@pytest.mark.usefixtures("english")  # asserts the English wording
def test_only_named_local_rulebooks_can_be_read(
    base: Path, tmp_path: Path, target: str, code: str
) -> None:
    """Absolute, home, URL and non-YAML paths are refused; a missing file is WZ250 at extends."""
    child = write(tmp_path, "", header=f"wzeval: rulebook/1\nextends: {target}\nid: c\n")
    (issue,) = errors(child)
    assert issue.code == code and issue.position is not None
    assert (issue.position.file, issue.position.line) == (str(child), 2)
    if target == "bsae.yaml":
        assert issue.hint == "did you mean 'base.yaml'?"


def test_a_base_outside_the_allowed_folders_is_refused(base: Path, tmp_path: Path) -> None:
    """A relative path that climbs out of the allowed root (or a symlink out of it) is WZ257."""
    inner = tmp_path / "project"
    inner.mkdir()
    child = write(inner, "", header="wzeval: rulebook/1\nextends: ../base.yaml\nid: c\n")
    doc = resolve_extends(load_document(child), root=inner)
    assert doc.data is None and [i.code for i in doc.issues] == ["WZ257"]
    probe = write(
        inner, "", name="p.yaml", header="wzeval: rulebook/1\nextends: ../no.yaml\nid: c\n"
    )
    doc = resolve_extends(load_document(probe), root=inner)  # outside: not even looked for
    assert [i.code for i in doc.issues] == ["WZ257"]
    assert "cannot find" not in doc.issues[0].message
    (inner / "link.yaml").symlink_to(base)
    linked = write(
        inner, "", name="l.yaml", header="wzeval: rulebook/1\nextends: link.yaml\nid: c\n"
    )
    doc = resolve_extends(load_document(linked), root=inner)
    assert doc.data is None and [i.code for i in doc.issues] == ["WZ257"]
    assert resolve_extends(load_document(child), root=tmp_path).data is not None


def test_a_rulebook_from_text_can_only_extend_a_bundled_one() -> None:
    """With no file there is no folder: a relative extends is WZ257, bundled: works."""
    doc = load_document(text="wzeval: rulebook/1\nextends: base.yaml\nid: c\n")
    rb, issues = rulebook_from_document(doc)
    assert rb is None and [i.code for i in issues] == ["WZ257"]
    doc = load_document(text="wzeval: rulebook/1\nextends: bundled:2023\nid: c\n")
    rb, issues = rulebook_from_document(doc)
    assert rb is not None and rb.id == "c"


def test_a_broken_base_reports_its_own_issues(tmp_path: Path) -> None:
    """A base with a YAML error: its issue (in the base file) is reported, nothing is merged."""
    broken = tmp_path / "base.yaml"
    broken.write_text("wzeval: rulebook/1\nid: [\n", encoding="utf-8")
    child = write(tmp_path, "")
    found = errors(child)
    assert [i.code for i in found] == ["WZ101"]
    assert found[0].position is not None and found[0].position.file == str(broken)


# ----------------------------------------------------------------------------- derived plan


def test_the_merge_plan_is_read_from_the_models() -> None:
    """What merges by id and what field by field, as the models say (typed out here by hand
    from the model classes, never read back from extends)."""
    from wzeval.model._extendsplan import rulebook_plan

    plan = rulebook_plan()
    assert plan.collections == {
        "rulebook": {
            "departments": ("id", "department"),
            "catalogs": ("id", "catalog"),
            "categories": ("id", "category"),
            "parts": ("id", "part"),
        },
        "category": {"groups": ("id", "group")},
        "catalog": {"entries": ("department", "catalog entry")},
        "indicator": {
            "facts": ("id", "fact"),
            "derived": ("id", "derived fact"),
            "items": ("id", "item"),
            "vetoes": ("id", "veto"),
            "deductions": ("id", "deduction"),
            "pending": ("id", "pending state"),
        },
        "item": {
            "checklist": ("id", "checklist entry"),
            "deduct": ("id", "deduction"),
            "vetoes": ("id", "veto"),
        },
    }
    assert plan.mappings == {
        "rulebook": frozenset({"arithmetic"}),
        "item": frozenset({"levels", "bands", "proportion", "given"}),
    }
    assert plan.member_kinds["catalog entry"] == "catalog_entry"
    assert plan.member_kinds["derived fact"] == "derived"


def test_a_new_list_field_on_a_model_merges_by_id_with_no_edit_to_extends() -> None:
    """A field added to a model reaches extends: a list of models with ids merges by id,
    a nested model field by field, a list of plain values is replaced."""
    from pydantic import Field

    from wzeval.model._extendsplan import merge_plan
    from wzeval.model._modelbase import StrictModel

    class Note(StrictModel):
        id: str
        text: str

    class Contact(StrictModel):
        phone: str = ""

    class Annotated(Rulebook):
        notes: list[Note] = Field(default_factory=list)
        contact: Contact = Field(default_factory=Contact)
        tags: list[str] = Field(default_factory=list)

    plan = merge_plan(Annotated)
    assert plan.collections["annotated"]["notes"] == ("id", "note")
    assert plan.collections["annotated"]["departments"] == ("id", "department")
    assert "tags" not in plan.collections["annotated"]
    assert plan.mappings["annotated"] == frozenset({"arithmetic", "contact"})
    assert plan.collections["indicator"]["facts"] == ("id", "fact")
