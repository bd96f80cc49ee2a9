"""WhatsApp layout rules, on literal replies (no I/O)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from bot.channels.whatsapp.client import whatsapp_url
from bot.channels.whatsapp.render import (
    BODY_LIMIT,
    TEXT_LIMIT,
    ButtonsOut,
    FileOut,
    ListOut,
    TextOut,
    render,
    split_text,
    template_preview,
    units,
)
from bot.conversation.messages import Attachment, Choice, Reply

SKM_LABELS = ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")


def choices(*labels: str, step: str = "q1") -> tuple[Choice, ...]:
    return tuple(Choice(f"{step}:{n}", label) for n, label in enumerate(labels, start=1))


def test_two_short_choices_are_reply_buttons_without_a_numbered_body() -> None:
    [out] = render(Reply("Lanjut?", choices("Ya", "Tidak")))
    assert out == ButtonsOut("Lanjut?", (("q1:1", "Ya"), ("q1:2", "Tidak")))


def test_long_button_labels_are_shortened_and_written_out_numbered_in_the_body() -> None:
    long = "Sangat setuju dengan seluruh pernyataan di atas"
    reply = Reply(
        "Bagaimana pendapat Anda?", (Choice("a", long), Choice("b", "Tidak", short="Tdk"))
    )
    [out] = render(reply)
    assert isinstance(out, ButtonsOut)
    assert [t for _, t in out.buttons] == ["Sangat setuju denga…", "Tdk"]
    assert all(len(t) <= 20 for _, t in out.buttons)
    assert out.body == f"Bagaimana pendapat Anda?\n\n1. {long}\n2. Tidak"


def test_button_titles_that_collide_after_shortening_are_numbered() -> None:
    reply = Reply("?", choices("Pelayanan sangat cepat sekali", "Pelayanan sangat cepat juga"))
    [out] = render(reply)
    assert isinstance(out, ButtonsOut)
    titles = [t for _, t in out.buttons]
    assert titles[0].startswith("1. ") and titles[1].startswith("2. ")
    assert len(set(titles)) == 2 and all(len(t) <= 20 for t in titles)


@pytest.mark.parametrize("count", [4, 5, 10])
def test_four_to_ten_choices_are_one_list(count: int) -> None:
    labels = [f"Pilihan nomor {n}" for n in range(1, count + 1)]
    [out] = render(Reply("Pilih satu", choices(*labels)), list_button="Pilih jawaban")
    assert isinstance(out, ListOut)
    assert out.button == "Pilih jawaban" and out.body == "Pilih satu"
    assert [r.id for r in out.rows] == [f"q1:{n}" for n in range(1, count + 1)]
    assert out.rows[0].title == "1. Pilihan nomor 1" and out.rows[0].description is None


def test_list_rows_put_long_labels_in_the_description() -> None:
    long = "Sangat sesuai dengan persyaratan yang diumumkan"  # 47 characters
    [out] = render(Reply("U1", (*choices(*SKM_LABELS[:3]), Choice("q1:4", long))))
    assert isinstance(out, ListOut)
    row = out.rows[3]
    assert len(row.title) <= 24 and row.title.startswith("4. ")
    assert row.description == long
    assert out.body == "U1"  # every label fits a row: no numbered copy in the body


def test_list_labels_longer_than_a_description_are_written_out_in_the_body() -> None:
    huge = "x" * 100
    [out] = render(Reply("U1", choices("a", "b", "c", huge)))
    assert isinstance(out, ListOut)
    assert out.rows[3].description is not None and len(out.rows[3].description) == 72
    assert f"4. {huge}" in out.body


def test_more_than_ten_choices_are_numbered_text() -> None:
    labels = [f"Unit {n}" for n in range(1, 13)]
    [out] = render(Reply("Pilih unit:", choices(*labels)))
    assert isinstance(out, TextOut)
    assert out.text.startswith("Pilih unit:\n\n1. Unit 1\n2. Unit 2")
    assert out.text.endswith("12. Unit 12")


def test_choice_ids_too_long_for_whatsapp_fall_back_to_numbered_text() -> None:
    reply = Reply("?", (Choice("x" * 300, "A"), Choice("y", "B")))
    assert render(reply) == [TextOut("?\n\n1. A\n2. B")]


def test_long_text_is_split_under_the_limit_without_losing_words() -> None:
    paragraph = " ".join(["kata"] * 150)  # 749 characters
    text = "\n\n".join([paragraph] * 14)  # ~10 600 characters
    out = render(Reply(text))
    assert len(out) == 3 and all(isinstance(o, TextOut) for o in out)
    parts = [o.text for o in out if isinstance(o, TextOut)]
    assert all(units(p) <= TEXT_LIMIT for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_split_cuts_hard_when_there_is_no_boundary_and_counts_emoji_twice() -> None:
    assert [len(p) for p in split_text("a" * 9000)] == [4096, 4096, 808]
    parts = split_text("😀" * 3000)
    assert [units(p) for p in parts] == [4096, 1904]
    assert split_text("   ") == []


def test_a_question_with_a_long_text_sends_the_head_first_and_keeps_the_body_short() -> None:
    text = "\n".join(f"Baris {n}: " + "isi " * 20 for n in range(60))  # ~5 400 characters
    out = render(Reply(text, choices("Ya", "Tidak")))
    *head, last = out
    assert isinstance(last, ButtonsOut) and units(last.body) <= BODY_LIMIT
    assert head and all(isinstance(o, TextOut) and units(o.text) <= TEXT_LIMIT for o in head)
    sent = " ".join(o.text for o in head if isinstance(o, TextOut)) + " " + last.body
    assert " ".join(sent.split()) == " ".join(text.split())


def test_attachments_follow_a_statement_and_precede_a_question() -> None:
    png = Attachment("grafik.png", b"\x89PNG", "image/png")
    xlsx = Attachment("rekap.xlsx", b"PK", "application/vnd.ms-excel")
    statement = render(Reply("Ringkasan", attachments=(png, xlsx)))
    assert statement == [TextOut("Ringkasan"), FileOut(png, True), FileOut(xlsx, False)]
    question = render(Reply("Setuju?", choices("Ya", "Tidak"), attachments=(png,)))
    assert question[0] == FileOut(png, True) and isinstance(question[1], ButtonsOut)


def test_template_preview_is_one_line() -> None:
    reply = Reply("Permintaan persetujuan\n\n\tLaporan    kinerja Budi")
    assert template_preview(reply) == "Permintaan persetujuan Laporan kinerja Budi"
    assert len(template_preview(Reply("x " * 500))) == 200
    assert template_preview(Reply("", attachments=(Attachment("a.xlsx", b"", "x"),))) == "a.xlsx"


def test_wa_me_link_carries_the_skm_payload() -> None:
    url = whatsapp_url("+62 811-0000-000", "unit7:abc")
    assert url == "https://wa.me/628110000000?text=SKM%20unit7%3Aabc"
    assert unquote(url.split("text=", 1)[1]) == "SKM unit7:abc"
    with pytest.raises(ValueError):
        whatsapp_url("call me", "x")
