"""The rules a period report adds: Krejcie–Morgan status, strongest unsur, a segment's IKM
from the minimum, the change against the previous period, the trend's periods."""

from __future__ import annotations

from kinerja import skm
from kinerja.models import UNSUR_KEYS
from kinerja.periods import parse_period, trend_periods

WORKED_NRR = dict(zip(UNSUR_KEYS, (3.6, 3.0, 2.6, 3.0, 3.6, 3.6, 3.8, 2.2, 3.4), strict=True))


def test_sample_status_says_cukup_kurang_or_unknown() -> None:
    assert skm.sample_status(278, skm.krejcie_morgan(1000)).text == "cukup"
    assert skm.sample_status(300, 278).text == "cukup"
    short = skm.sample_status(5, 278)
    assert (short.kind, short.missing, short.text) == ("kurang", 273, "kurang 273 responden")
    assert skm.sample_status(0, 1370).text == "kurang 1.370 responden"  # Indonesian grouping
    assert skm.sample_status(40, None).text == "populasi belum diisi"


def test_strongest_and_weakest_of_the_worked_example() -> None:
    assert (skm.weakest(WORKED_NRR), skm.strongest(WORKED_NRR)) == ("pengaduan", "perilaku")
    tie = dict.fromkeys(UNSUR_KEYS, 3.0)
    assert skm.strongest(tie) == "persyaratan"  # ties: the first in the regulation's order
    assert skm.strongest({}) is None


def test_a_segment_has_an_ikm_only_from_the_minimum() -> None:
    five = skm.AnswerTotals(5, dict.fromkeys(UNSUR_KEYS, 15), dict.fromkeys(UNSUR_KEYS, 5))
    assert skm.segment_score(five, 10) is None
    scored = skm.segment_score(five, 5)
    assert scored is not None and (scored.ikm, scored.mutu) == (75.0, "C")
    empty = skm.AnswerTotals(0, dict.fromkeys(UNSUR_KEYS, 0), dict.fromkeys(UNSUR_KEYS, 0))
    assert skm.segment_score(empty, 0) is None  # never an index of nobody


def test_the_change_is_the_difference_of_the_published_values() -> None:
    assert skm.ikm_change(80.0, 87.5) == -7.5
    assert skm.ikm_change(78.29, 78.28) == 0.01  # not 0.010000000000005116
    assert skm.ikm_change(80.0, None) is None and skm.ikm_change(None, 80.0) is None


def test_trend_periods_of_the_same_kind_oldest_first() -> None:
    assert [p.label for p in trend_periods(parse_period("2026-Q2"), 4)] == [
        "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert [p.label for p in trend_periods(parse_period("2026-01"), 2)] == ["2025-12", "2026-01"]
    assert [p.label for p in trend_periods(parse_period("2026"), 0)] == ["2026"]
