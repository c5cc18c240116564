"""A municipality's own letter templates as data: a folder beside its standard file, checked at load."""

from __future__ import annotations

import io
import shutil
from importlib import resources
from pathlib import Path

import pypdf
import pytest

from fhb.core.letters.model import LetterKind
from fhb.core.letters.render import TEMPLATES, LetterRenderer, LetterRenderError
from fhb.core.letters.template_folder import (
    TemplateFolderError,
    check_template_folder,
    sample_letter,
    template_folder_problems,
)
from fhb.core.standard.loader import StandardError, load_standard

OWN_WORDING = "Vores Kommune vil meget gerne komme forbi"


def own_standard(folder: Path, *, templates: str | None = "letters/") -> Path:
    """A copy of Hjørring's standard as another municipality's file, with its own template folder that
    words the offer without a time its own way. Returns the standard file's path."""
    text = resources.files("fhb").joinpath("standards", "hjoerring.toml").read_text(encoding="utf-8")
    text = text.replace('id = "hjoerring"', 'id = "vores"', 1).replace("Hjørring Kommune", "Vores Kommune")
    if templates is not None:
        if "\n[letters]\n" in text:
            text = text.replace("\n[letters]\n", f'\n[letters]\ntemplates = "{templates}"\n', 1)
        else:
            text += f'\n[letters]\ntemplates = "{templates}"\n'
    path = folder / "vores.toml"
    path.write_text(text, encoding="utf-8")
    letters = folder / "letters"
    letters.mkdir()
    default = (TEMPLATES / "default" / "offer_without_time.typ").read_text(encoding="utf-8")
    own = default.replace("Vi vil gerne tilbyde #dig et forebyggende hjemmebesøg.", f"{OWN_WORDING}.")
    assert own != default, "the default template's wording changed: update this test"
    (letters / "offer_without_time.typ").write_text(own, encoding="utf-8")
    return path


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_standard_file_names_its_template_folder_relative_to_itself(tmp_path: Path) -> None:
    standard = load_standard(own_standard(tmp_path))
    assert standard.id == "vores"
    assert standard.letters.templates == str((tmp_path / "letters").resolve())


def test_the_own_folder_words_the_letter_and_the_rest_falls_back(tmp_path: Path) -> None:
    standard = load_standard(own_standard(tmp_path))
    renderer = LetterRenderer(own=standard.letters.templates)
    own = text_of(renderer.render(sample_letter(LetterKind.OFFER_WITHOUT_TIME, standard.id)))
    assert OWN_WORDING in own
    shipped = text_of(LetterRenderer().render(sample_letter(LetterKind.OFFER_WITHOUT_TIME, standard.id)))
    assert OWN_WORDING not in shipped
    # A kind the folder leaves out: the shipped standard's own wording, then the default.
    assert renderer.template_for("hjoerring", LetterKind.OFFER_WITH_TIME) == (
        TEMPLATES / "hjoerring" / "offer_with_time.typ"
    )
    assert renderer.template_for("vores", LetterKind.NEW_TIME) == TEMPLATES / "default" / "new_time.typ"
    renderer.render(sample_letter(LetterKind.NEW_TIME, standard.id, joint=True))
    assert template_folder_problems(tmp_path / "letters", "vores") == []


def test_a_missing_folder_is_refused_at_load(tmp_path: Path) -> None:
    path = own_standard(tmp_path, templates="breve/")
    with pytest.raises(StandardError) as caught:
        load_standard(path)
    assert "letters.templates: no such folder" in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_typst_error_is_refused_with_file_and_line(tmp_path: Path) -> None:
    own_standard(tmp_path)
    lines = (TEMPLATES / "default" / "offer_with_time.typ").read_text(encoding="utf-8").splitlines()
    lines.insert(8, "#foo")
    (tmp_path / "letters" / "offer_with_time.typ").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = template_folder_problems(tmp_path / "letters", "vores", base=tmp_path)
    assert [str(p) for p in problems] == ["letters/offer_with_time.typ, linje 9: unknown variable: foo"]
    with pytest.raises(TemplateFolderError, match=r"offer_with_time.typ, linje 9: unknown variable: foo"):
        check_template_folder(tmp_path / "letters", "vores")
    # Rendering says where too, with the real file (not the renderer's staged copy).
    with pytest.raises(LetterRenderError) as caught:
        LetterRenderer(own=tmp_path / "letters").render(sample_letter(LetterKind.OFFER_WITH_TIME, "vores"))
    assert caught.value.file == (tmp_path / "letters" / "offer_with_time.typ").resolve()
    assert caught.value.line == 9
    assert str((tmp_path / "letters" / "offer_with_time.typ").resolve()) in str(caught.value)


def test_an_unknown_file_name_is_refused(tmp_path: Path) -> None:
    own_standard(tmp_path)
    shutil.copy(tmp_path / "letters" / "offer_without_time.typ", tmp_path / "letters" / "offer_withtime.typ")
    (tmp_path / "letters" / "README.md").write_text("Vores breve.\n", encoding="utf-8")
    problems = template_folder_problems(tmp_path / "letters", "vores", base=tmp_path)
    assert len(problems) == 1
    assert str(problems[0]).startswith("letters/offer_withtime.typ: not a letter template name (a typo?)")


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    problems = template_folder_problems(tmp_path / "letters", "vores", base=tmp_path)
    assert [p.file for p in problems] == ["letters"] and "holds no letter template" in problems[0].why


def test_the_staging_copy_is_removed_with_the_renderer(tmp_path: Path) -> None:
    own_standard(tmp_path)
    renderer = LetterRenderer(own=tmp_path / "letters")
    renderer.render(sample_letter(LetterKind.OFFER_WITHOUT_TIME, "vores"))
    stage = renderer._stage
    assert stage is not None and (stage / "own" / "offer_without_time.typ").is_file()
    del renderer
    import gc

    gc.collect()
    assert not stage.exists()
