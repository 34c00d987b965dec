"""Quick look-up logic: search by words, by unit, by measure id; unit choices."""
from __future__ import annotations

from ui import lookup


def test_search_finds_water_measures_with_their_units(services):
    html, measures, line = lookup.search(services, "接自来水")
    assert 0 < len(measures) <= lookup.SEARCH_TOP_K
    assert "二(四)4" in [m.id for m in measures[:5]]
    assert "区自来水公司" in html and line.startswith("找到")


def test_search_by_id_puts_that_measure_first(services):
    for q in ("二(四)4", "二（四）4", "二.4.4"):
        _, measures, _ = lookup.search(services, q)
        assert measures[0].id == "二(四)4"


def test_search_highlights_a_named_unit(services):
    html, measures, _ = lookup.search(services, "区税务局")
    assert any("区税务局" in m.units for m in measures)
    assert '<span class="rag-unit rag-unit-hit">区税务局</span>' in html


def test_empty_search_explains_itself(services):
    html, measures, line = lookup.search(services, "  ")
    assert measures == [] and line == "" and "编号" in html


def test_unit_choices_cover_the_directory_busiest_first(services, corpus):
    choices = lookup.unit_choices(services)
    assert len(choices) == len(corpus.units)
    counts = [len(corpus.units.get(v).measure_ids) for _, v in choices]
    assert counts == sorted(counts, reverse=True)
    assert ("区税务局（15 条）", "区税务局") in choices


def test_draft_choices_label_id_and_start_of_text(corpus):
    m = corpus.lookup("二(四)4")[0]
    (label, value), = lookup.draft_choices([m])
    assert value == m.key and label.startswith("二(四)4 供气、供水") and label.endswith("…")
