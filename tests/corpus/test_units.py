def test_every_unit_with_its_measures(corpus):
    units = corpus.units
    tax = units.get("区税务局")
    assert len(tax.measure_ids) == 15
    assert "jiading-2021-7:二(一)4" in tax.measure_ids
    assert units.get("嘉定海关").measure_ids == [f"jiading-2021-7:二(六){i}" for i in range(1, 6)]
    every = {u for m in corpus.measures for u in m.units}
    assert {u.name for u in units} == every


def test_aliases_people_type(corpus):
    units = corpus.units
    for alias, official in [("人社局", "区人力资源社会保障局"), ("市场局", "区市场监管局"), ("大数据中心", "区大数据中心"),
                            ("供电公司", "嘉定供电公司"), ("房管局", "区房管局"), ("海关", "嘉定海关"), ("税务局", "区税务局"),
                            ("自来水公司", "区自来水公司"), ("规划局", "区规划资源局")]:
        assert official in [u.name for u in units.find(alias)], alias
        assert alias in units.get(official).aliases or alias in official


def test_variants_stay_separate_but_find_each_other(corpus):
    units = corpus.units
    a, b = units.get("区行政服务中心(大数据中心)"), units.get("区行政服务中心(区大数据中心)")
    assert a is not None and b is not None and a.measure_ids != b.measure_ids
    found = [u.name for u in units.find("区行政服务中心(大数据中心)")]
    assert found[0] == "区行政服务中心(大数据中心)"
    assert {"区行政服务中心(区大数据中心)", "区大数据中心", "区行政服务中心"} <= set(found)
    market = [u.name for u in units.find("区市场局")]
    assert market[0] == "区市场局" and "区市场监管局" in market
    assert units.get("区市场局").measure_ids == ["jiading-2021-7:三(三)5"]


def test_mentions_in_text(corpus):
    found = dict(corpus.units.mentions("区税务局和房管局都要做"))
    assert found["区税务局"] == {"区税务局"} and found["房管局"] == {"区房管局"}
