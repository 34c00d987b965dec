"""Per-notice unit data: aliases and English names live beside the notice, drafted and checked by commands."""
from __future__ import annotations

import json
import shutil

import pytest

from rag.corpus.collection import Corpus
from rag.corpus.unit_data import check_unit_data, draft_unit_data
from tests.conftest import CORPUS


def test_the_shipped_unit_data_names_only_units_of_its_notice():
    assert check_unit_data(CORPUS) == []


def test_aliases_and_english_names_come_from_the_data(corpus):
    tax = corpus.units.get("区税务局")
    assert "税务局" in tax.aliases and tax.english
    assert corpus.units.find("工商局")[0].name == "区市场监管局"


@pytest.mark.slow  # reads the whole of CC-CEDICT: half a minute and more on two cores
def test_draft_derives_short_names(tmp_path):
    shutil.copy(CORPUS / "jiading-2021-7.txt", tmp_path)
    path = draft_unit_data(tmp_path, "jiading-2021-7")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "税务局" in data["区税务局"]["aliases"]
    assert "海关" in data["嘉定海关"]["aliases"]  # the issuer's own place taken off
    assert data["区税务局"]["english"]
    assert check_unit_data(tmp_path) == []
    assert Corpus.load(tmp_path).units.find("海关")[0].name == "嘉定海关"


def test_check_reports_names_the_notice_does_not_have(tmp_path):
    shutil.copy(CORPUS / "jiading-2021-7.txt", tmp_path)
    (tmp_path / "jiading-2021-7.units.json").write_text(json.dumps({"区不存在局": {"aliases": ["不存在"]}}), encoding="utf-8")
    problems = check_unit_data(tmp_path)
    assert len(problems) == 1 and "区不存在局" in problems[0]


def test_a_notice_without_unit_data_still_loads(tmp_path):
    shutil.copy(CORPUS / "jiading-2021-7.txt", tmp_path)
    corpus = Corpus.load(tmp_path)
    assert corpus.units.get("区税务局").aliases == ["税务局"]  # derived: the name without 区
