"""Any standard file, not only the shipped ones: its letter templates are checked at load and by fhb check,
and fhb synth and fhb demo-setup take its path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from fhb.cli import main
from fhb.commands.check import run_checks
from fhb.commands.demo_setup import same_standard
from fhb.core.letters.template_folder import TemplateFolderError
from fhb.core.standard.loader import StandardError
from fhb.demo.setup import build_demo
from fhb.offers.models import Offer
from fhb.standards import current
from fhb.standards.current import letter_templates, standard_named
from tests.core.letters.test_template_folder import own_standard


@pytest.fixture(autouse=True)
def fresh_standards() -> Iterator[None]:
    current.standard_named.cache_clear()
    current._checked_folder.cache_clear()
    yield
    current.standard_named.cache_clear()
    current._checked_folder.cache_clear()


def break_template(folder: Path) -> None:
    (folder / "letters" / "closed_door.typ").write_text(
        '#import "../layout.typ": *\n#let d = load()\n\n#nope\n', encoding="utf-8"
    )


def test_a_broken_template_refuses_the_standard_with_file_and_line(tmp_path: Path) -> None:
    path = own_standard(tmp_path)
    assert standard_named(str(path)).id == "vores"
    current.standard_named.cache_clear()
    break_template(tmp_path)
    with pytest.raises(StandardError) as caught:
        standard_named(str(path))
    assert f"{path}: letters.templates: letters/closed_door.typ, linje 4: unknown variable: nope" in str(
        caught.value
    )


@pytest.mark.django_db
def test_fhb_check_has_an_item_for_the_letter_templates(tmp_path: Path, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    checks = {c.name: c for c in run_checks()}
    assert checks["letter templates"].status == "ok"
    settings.FHB_STANDARD = str(own_standard(tmp_path))
    checks = {c.name: c for c in run_checks()}
    assert checks["letter templates"].status == "ok", checks["letter templates"]
    assert "1 egne brevskabeloner" in checks["letter templates"].detail
    break_template(tmp_path)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "[error  ] letter templates" in out and "letters/closed_door.typ, linje 4: unknown variable" in out


@pytest.mark.django_db
def test_the_setting_names_a_folder_before_the_standards(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    own_standard(tmp_path)
    assert letter_templates() is None  # hjoerring: the shipped templates only
    settings.FHB_LETTER_TEMPLATES = str(tmp_path / "letters")
    assert letter_templates() == (tmp_path / "letters").resolve()
    break_template(tmp_path)
    settings.FHB_LETTER_TEMPLATES = str(tmp_path / "letters") + "/"
    with pytest.raises(TemplateFolderError, match=r"closed_door\.typ, linje 4"):
        letter_templates()
    checks = {c.name: c for c in run_checks()}
    assert checks["letter templates"].status == "error"


def test_synth_takes_a_standard_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = own_standard(tmp_path)
    out = tmp_path / "extract"
    assert main(["synth", "--standard", str(path), "--seed", "1", "--size", "0.05", "--out", str(out)]) == 0
    assert (out / "citizens.csv").stat().st_size > 0 and (out / "events.csv").is_file()
    # The same municipality (code 860) as Hjørring's: the same people.
    shipped = tmp_path / "shipped"
    assert (
        main(["synth", "--standard", "hjoerring", "--seed", "1", "--size", "0.05", "--out", str(shipped)])
        == 0
    )
    assert (shipped / "citizens.csv").read_bytes() == (out / "citizens.csv").read_bytes()


def test_synth_names_the_shipped_standards_when_given_neither(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["synth", "--standard", "aarhus", "--seed", "1", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "herning, hjoerring, ishoej" in err and "path of a .toml file" in err
    assert (
        main(["synth", "--standard", str(tmp_path / "nej.toml"), "--seed", "1", "--out", str(tmp_path)]) == 2
    )
    assert "cannot read the file" in capsys.readouterr().err


def test_synth_refuses_a_municipality_it_has_no_figures_for(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = own_standard(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("code = 860", "code = 751"), encoding="utf-8")
    assert main(["synth", "--standard", str(path), "--seed", "1", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "municipality code 751" in err and "860 (Hjørring)" in err


def test_demo_setup_compares_files_by_path(tmp_path: Path) -> None:
    path = own_standard(tmp_path)
    assert same_standard("hjoerring", "hjoerring")
    assert same_standard(str(path), str(tmp_path / "." / "vores.toml"))
    assert not same_standard(str(path), "hjoerring")


@pytest.mark.django_db
def test_the_demo_builds_from_a_standard_file(tmp_path: Path, data_dir: Path) -> None:
    path = own_standard(tmp_path)
    today = timezone.localdate()
    build_demo(
        standard_named(str(path)),
        name=str(path),
        year=today.year + 1,
        seed=1,
        size=0.05,
        data_dir=data_dir,
        today=today,
    )
    assert Offer.objects.exists()
