"""Stored classifiers give the probabilities scikit-learn gave when they were fitted, after a round trip
through JSON."""
from __future__ import annotations

import numpy as np
import pytest

from rag.classifiers import BoostedTrees, LogisticModel, load_classifier


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 4))
    y = ((x[:, 0] * x[:, 1] > 0) ^ (x[:, 2] > 1)).astype(int)
    return x, y


def test_boosted_trees_match_scikit_learn(data, tmp_path):
    from sklearn.ensemble import GradientBoostingClassifier

    x, y = data
    model = BoostedTrees.fit(["a", "b", "c", "d"], x, y, n_trees=50, depth=3)
    reference = GradientBoostingClassifier(n_estimators=50, max_depth=3, learning_rate=0.05, subsample=0.8,
                                           random_state=0).fit(x, y)
    assert np.allclose(model.probabilities(x[:50]), reference.predict_proba(x[:50])[:, 1], atol=1e-9)
    model.threshold = 0.3
    model.save(tmp_path / "trees.json")
    loaded = load_classifier(tmp_path / "trees.json")
    assert isinstance(loaded, BoostedTrees) and loaded.threshold == 0.3
    assert np.allclose(loaded.probabilities(x[:50]), model.probabilities(x[:50]))
    assert loaded.decide(x[0]) == (model.probability(x[0]) >= 0.3, model.probability(x[0]))


def test_logistic_model_matches_scikit_learn(data, tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x, y = data
    model = LogisticModel.fit(["a", "b", "c", "d"], x, y, c=0.5)
    scaler = StandardScaler().fit(x)
    reference = LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000).fit(scaler.transform(x), y)
    assert np.allclose(model.probabilities(x[:20]), reference.predict_proba(scaler.transform(x[:20]))[:, 1], atol=1e-6)
    model.save(tmp_path / "lr.json")
    assert isinstance(load_classifier(tmp_path / "lr.json"), LogisticModel)


def test_a_model_needs_one_weight_per_feature():
    with pytest.raises(ValueError):
        LogisticModel(["a", "b"], [0.0], [1.0], [1.0], 0.0)
