"""Units inside units (skm.md): a parent's pooled result pools the answers, then applies the
formula once — on a case computed by hand."""

from __future__ import annotations

import pytest

from kinerja import skm
from kinerja.models import UNSUR_KEYS

# Unit A (a Dinas) has two forms, every unsur 4. Unit B (its Puskesmas) has three forms,
# every unsur 1, but the third form left "waktu" blank. By hand:
#   pooled waktu:  (4+4 + 1+1) / 4 = 2.5;  every other unsur: (4+4 + 1+1+1) / 5 = 2.2
#   IKM = (8 × 2.2 + 2.5) / 9 × 25 = 20.1 × 25 / 9 = 55.8333… → 55.83, mutu D
# (the mean of the two units' IKMs would be (100 + 25) / 2 = 62.5, mutu C: wrong.)
A = skm.AnswerTotals(2, dict.fromkeys(UNSUR_KEYS, 8), dict.fromkeys(UNSUR_KEYS, 2))
B = skm.AnswerTotals(3, {**dict.fromkeys(UNSUR_KEYS, 3), "waktu": 2},
                     {**dict.fromkeys(UNSUR_KEYS, 3), "waktu": 2})


def test_pool_adds_sums_and_counts_then_the_formula_runs_once() -> None:
    pooled = skm.pool([A, B])
    assert pooled.n == 5
    assert pooled.sums["waktu"] == 10 and pooled.counts["waktu"] == 4
    assert pooled.sums["biaya"] == 11 and pooled.counts["biaya"] == 5
    score = skm.score_from_sums(pooled.sums, pooled.counts, pooled.n)
    assert score.ikm == 55.83
    assert score.mutu is not None and score.mutu.value == "D"
    assert score.nrr["waktu"] == pytest.approx(2.5)
    assert skm.score_from_sums(A.sums, A.counts, A.n).ikm == 100.0
    assert skm.score_from_sums(B.sums, B.counts, B.n).ikm == 25.0


def test_pool_of_nothing_is_no_respondents() -> None:
    empty = skm.pool([])
    assert empty.n == 0 and set(empty.counts.values()) == {0}
    assert skm.score_from_sums(empty.sums, empty.counts, empty.n).ikm is None


def test_pooled_by_unit_follows_the_tree_at_any_depth() -> None:
    parents = {"PEMKOT": None, "DINAS": "PEMKOT", "PKM": "DINAS", "OTHER": "PEMKOT"}
    pooled = skm.pooled_by_unit(parents, {"DINAS": A, "PKM": B})
    ikm = {code: skm.score_from_sums(t.sums, t.counts, t.n).ikm for code, t in pooled.items()}
    assert ikm == {"PEMKOT": 55.83, "DINAS": 55.83, "PKM": 25.0, "OTHER": None}
    assert pooled["PEMKOT"].n == 5 and pooled["OTHER"].n == 0
    assert skm.units_below(parents)["PEMKOT"] == ["DINAS", "PKM", "OTHER"]


def test_a_parent_outside_the_selection_or_a_cycle_ends_the_chain() -> None:
    assert skm.pooled_by_unit({"PKM": "DINAS"}, {"PKM": B})["PKM"].n == 3
    cycle = skm.pooled_by_unit({"X": "Y", "Y": "X"}, {"X": A, "Y": B})
    assert cycle["X"].n == 5 and cycle["Y"].n == 5
