"""The one number format for people and the one parser of typed numbers."""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.numbers import (
    NO_VALUE,
    PARSE_MAX_LENGTH,
    format_index,
    format_number,
    format_percent,
    parse_choice,
    parse_number,
)

# --- format_number --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (80.0, "80", "80"),
        (80, "80", "80"),
        (78.28, "78,28", "78.28"),
        (97.5, "97,5", "97.5"),
        (2.75, "2,75", "2.75"),
        (1101.56, "1.101,56", "1,101.56"),
        (1234.5, "1.234,5", "1,234.5"),
        (1_000_000, "1.000.000", "1,000,000"),
        (1234567.891, "1.234.567,89", "1,234,567.89"),
        (999.999, "1.000", "1,000"),
        (-1234.5, "-1.234,5", "-1,234.5"),
        (-2.5, "-2,5", "-2.5"),
        (0, "0", "0"),
        (0.0, "0", "0"),
        (-0.0, "0", "0"),
        (-0.001, "0", "0"),  # rounds to zero: no "-0"
        (0.004, "0", "0"),
        (0.125, "0,13", "0.13"),  # half away from zero, not the binary tie of f"{:.2f}"
        (2.675, "2,68", "2.68"),
        (-0.125, "-0,13", "-0.13"),
        (1e20, "100.000.000.000.000.000.000", "100,000,000,000,000,000,000"),
        (np.float64(12.5), "12,5", "12.5"),
        (np.int64(4200), "4.200", "4,200"),
    ],
)
def test_format_number(value: float, indonesian: str, english: str) -> None:
    assert format_number(value) == indonesian
    assert format_number(value, "id") == indonesian
    assert format_number(value, "en") == english


@pytest.mark.parametrize("value", [None, math.nan, np.nan, math.inf, -math.inf, pd.NA, "12"])
def test_format_number_missing(value: object) -> None:
    assert format_number(value) == NO_VALUE == "–"  # type: ignore[arg-type]
    assert format_number(value, "en", 0, trim=False) == "–"  # type: ignore[arg-type]


def test_format_number_decimals_and_trim() -> None:
    assert format_number(78.28, "id", 1) == "78,3"
    assert format_number(78.25, "id", 1) == "78,3"
    assert format_number(78.2, "id", 2, trim=False) == "78,20"
    assert format_number(80, "id", 2, trim=False) == "80,00"
    assert format_number(1234.5, "en", 2, trim=False) == "1,234.50"
    assert format_number(2.5, "id", 0) == "3"
    assert format_number(-2.5, "id", 0) == "-3"
    assert format_number(1.5e-10, "id", 12) == "0,00000000015"
    with pytest.raises(ValueError):
        format_number(1.0, "id", -1)


def test_format_number_other_languages_use_the_indonesian_style() -> None:
    assert format_number(1234.5, "fr") == "1.234,5"


def test_format_number_extremes() -> None:
    biggest = format_number(sys.float_info.max)
    assert biggest.startswith("179.769.313.486.231.570") and "," not in biggest
    assert format_number(5e-324) == "0"


# --- format_percent / format_index ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (97.5, "97,5%", "97.5%"),
        (110.0, "110%", "110%"),
        (66.6667, "66,7%", "66.7%"),
        (0.0, "0%", "0%"),
        (1250.25, "1.250,3%", "1,250.3%"),
        (None, "–", "–"),
        (math.nan, "–", "–"),
    ],
)
def test_format_percent(value: float | None, indonesian: str, english: str) -> None:
    assert format_percent(value) == indonesian
    assert format_percent(value, "en") == english


def test_format_percent_decimals() -> None:
    assert format_percent(97.5, "id", 0) == "98%"
    assert format_percent(97.46, "id", 2) == "97,46%"


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (78.2, "78,20", "78.20"),
        (80, "80,00", "80.00"),
        (78.28, "78,28", "78.28"),
        (88.305, "88,31", "88.31"),
        (2.2, "2,20", "2.20"),
        (11 / 3, "3,67", "3.67"),
        (None, "–", "–"),
        (math.nan, "–", "–"),
    ],
)
def test_format_index(value: float | None, indonesian: str, english: str) -> None:
    assert format_index(value) == indonesian
    assert format_index(value, "en") == english


# --- parse_number ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("12", 12.0),
        ("0", 0.0),
        ("-0", 0.0),
        ("1.000,5", 1000.5),
        ("1,000.5", 1000.5),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("1.000.000", 1_000_000.0),
        ("1,000,000", 1_000_000.0),
        ("1.000", 1.0),  # one separator is the decimal mark
        ("1,000", 1.0),
        (" 2,5 ", 2.5),
        ("1 000", 1000.0),
        ("1 000,5", 1000.5),
        ("1\u00a0000,5", 1000.5),  # no-break space as thousands separator
        ("-3", -3.0),
        ("+3", 3.0),
        ("−2,5", -2.5),  # Unicode minus sign
        (".5", 0.5),
        (",5", 0.5),
        ("5.", 5.0),
        ("１２，５", 12.5),  # full-width digits and comma
        ("１，０００．５", 1000.5),
        ("9" * PARSE_MAX_LENGTH, float("9" * PARSE_MAX_LENGTH)),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    parsed = parse_number(text)
    assert parsed == value
    assert isinstance(parsed, float)
    assert math.copysign(1.0, parsed) == math.copysign(1.0, value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "dua",
        "²",
        "2²",
        "①",
        "٣",  # Arabic-Indic three: float() would accept it
        "५",  # Devanagari five
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e400",
        "1e3",
        "1E5",
        "1_000",
        "0x10",
        "-",
        "+",
        ".",
        ",",
        "+-5",
        "5-",
        "1.00,5",  # misplaced thousands separator
        "1,2,3",
        "1.000,000,5",
        "1,5.000,2",
        "12,5%",
        "Rp 1.000",
        "1/2",
        "9" * (PARSE_MAX_LENGTH + 1),
        "9" * 5000,
        "1" + " " * 100 + "2",
        "\x00",
        "2,5\n3",
    ],
)
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("value", [None, 12, 2.5, b"12", ["1"]])
def test_parse_number_refuses_non_strings(value: object) -> None:
    with pytest.raises(ValueError):
        parse_number(value)  # type: ignore[arg-type]


@given(st.text(max_size=60))
def test_parse_number_only_ever_raises_value_error(text: str) -> None:
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert math.isfinite(value)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.sampled_from(["id", "en"]))
def test_what_is_shown_reads_back(value: float, language: str) -> None:
    # a thousands-grouped number with two decimals reads back to within half a cent
    shown = format_number(value, language, 2, trim=False)
    assert abs(parse_number(shown) - value) <= 0.005 + 1e-9 * max(1.0, abs(value))


# --- parse_choice: the one reading of a typed option number ---------------------------------


@pytest.mark.parametrize(("typed", "number"), [
    ("3", 3), ("3.", 3), ("3)", 3), ("(3)", 3), (" 12 ", 12), ("３", 3), ("３．", 3),
    ("0", 0),  # in range or not is the caller's business
])
def test_parse_choice_is_lenient_where_people_are(typed: str, number: int) -> None:
    assert parse_choice(typed) == number


@pytest.mark.parametrize("typed", [
    "", " ", "4.5", "3a", "-1", "+2", "(3", "3.)", "٣", "๓", "3 4", "1e3", "tiga",
    "9" * 9, " " * 100 + "3",
])
def test_parse_choice_refuses_what_is_not_an_option_number(typed: str) -> None:
    assert parse_choice(typed) is None


def test_parse_choice_checks_the_length_before_any_work() -> None:
    assert parse_choice("1" * 10_000_000) is None


@given(st.text(max_size=20))
def test_parse_choice_returns_a_small_number_or_none_for_any_text(typed: str) -> None:
    got = parse_choice(typed)
    assert got is None or (isinstance(got, int) and 0 <= got <= 9999)
