"""Who may do what, and the atasan's hasil kerja overrides with closed periods.

The authorization matrix runs every role against every action through the
engine on a real SQLite store: an allowed action does its work and stores
it with who and when; a denied one gets its message and stores nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.admin.staff import CloseError, close_period
from bot.app.compose import App, build_engine, engine_config
from bot.config import Settings
from bot.conversation.engine import Engine
from bot.conversation.flow import EngineConfig
from bot.conversation.ports.reports import NewReport
from bot.storage import Store
from bot.storage.employees import EmployeeRow, TargetRow
from kinerja.models import BERAKHLAK_KEYS
from tests.bot.admin.test_cli import kinerja
from tests.bot.staff_fixtures import KABID, KADIS, STAF_A, STAF_B, linked, load_staff
from tests.conftest import SECRET, Chat, Clock, read

KABID_2 = "197707072001031005"  # atasan of another team, also under the Kadis
STAF_C = "199303032017031006"
ADMIN_CHAT = "900"
CITIZEN_CHAT = "800"
ANDI = "Andi Pratama — Verifikator KTP-el"

# role → (NIP linked to the chat or None, review_by_second_level, chat id)
ROLES: dict[str, tuple[str | None, bool, str]] = {
    "citizen": (None, False, CITIZEN_CHAT),
    "staff": (STAF_A, False, "801"),
    "colleague": (STAF_B, False, "802"),
    "direct_atasan": (KABID, False, "803"),
    "second_level_off": (KADIS, False, "804"),
    "second_level_on": (KADIS, True, "804"),
    "other_team_atasan": (KABID_2, False, "805"),
    "admin_chat": (None, False, ADMIN_CHAT),
}
ACTIONS = ("lapor", "status", "tinjau", "nilai", "admin")
ALLOWED: dict[str, set[str]] = {
    "citizen": set(),
    "staff": {"lapor", "status"},
    "colleague": {"lapor", "status"},
    "direct_atasan": {"lapor", "status", "tinjau", "nilai"},
    "second_level_off": {"lapor", "status"},
    "second_level_on": {"lapor", "status", "tinjau", "nilai"},
    "other_team_atasan": {"lapor", "status"},
    "admin_chat": {"admin"},
}
NOT_LINKED = "/daftar KODE"
NO_REPORTS = "Tidak ada laporan bawahan"
NO_SUBORDINATES = "tidak memiliki bawahan langsung"
ADMIN_ONLY = "hanya untuk chat admin"
# What a denied role is told, per action ("list without Andi": the pick list leaves him out).
DENIED: dict[tuple[str, str], str] = {
    **{(role, action): NOT_LINKED for role in ("citizen", "admin_chat")
       for action in ("lapor", "status", "tinjau", "nilai")},
    **{(role, "admin"): ADMIN_ONLY for role in ROLES if role != "admin_chat"},
    ("staff", "tinjau"): NO_REPORTS,
    ("colleague", "tinjau"): NO_REPORTS,
    ("second_level_off", "tinjau"): NO_REPORTS,
    ("other_team_atasan", "tinjau"): NO_REPORTS,
    ("staff", "nilai"): NO_SUBORDINATES,
    ("colleague", "nilai"): NO_SUBORDINATES,
    ("second_level_off", "nilai"): "list without Andi",
    ("other_team_atasan", "nilai"): "list without Andi",
}
TABLES = ("progress_reports", "report_decisions", "behaviour_ratings", "indicator_ratings",
          "outbox", "period_closures")


async def counts(store: Store) -> dict[str, int]:
    out = {}
    async with store.reading() as r:
        for table in TABLES:
            row = await r.db.fetchone(f"SELECT COUNT(*) FROM {table}")
            out[table] = int(row[0]) if row else 0
    return out


async def setup_staff(store: Store) -> dict[str, int]:
    """The shared staff plus another team under the Kadis; everyone has an indicator."""
    await load_staff(store)
    async with store.unit() as uow:
        await uow.upsert_employees([
            EmployeeRow(KABID_2, "Rudi Hartono", "Kepala Bidang Pencatatan", "DISDUKCAPIL",
                        KADIS),
            EmployeeRow(STAF_C, "Yuni Astuti", "Operator Akta", "DISDUKCAPIL", KABID_2),
        ])
        await uow.upsert_targets([
            TargetRow(nip, 2026, "Pembinaan", "utama", "Rapat koordinasi", "kuantitas", 4,
                      "kegiatan")
            for nip in (KADIS, KABID, KABID_2, STAF_C)
        ])
    return {e.nip: e.id for e in await read(store, lambda r: r.employees_by_nip())}


def make_engine(store: Store, clock: Clock, second_level: bool) -> Engine:
    config = EngineConfig(secret_key=SECRET, review_by_second_level=second_level,
                          admin_chat_ids=frozenset({f"test:{ADMIN_CHAT}"}))
    return build_engine(store, config, clock=clock)


async def staf_a_report(store: Store, ids: dict[str, int], amount: float, clock: Clock) -> int:
    indicator = (await read(store, lambda r: r.indicators_of(ids[STAF_A], 2026)))[0]
    async with store.unit() as uow:
        return await uow.submit_report(NewReport(
            indicator.id, ids[STAF_A], amount, "verifikasi", date(2026, 11, 10), "test",
            clock.now))


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(ROLES))
async def test_authorization_matrix(
    org: Store, clock: Clock, role: str, action: str
) -> None:
    ids = await setup_staff(org)
    nip, second_level, chat_id = ROLES[role]
    engine = make_engine(org, clock, second_level)
    chat = Chat(engine, chat_id)
    if nip is not None:
        await linked(chat, org, nip, "ABCD2345", clock.now)
    me = ids[nip] if nip else None
    report_id = await staf_a_report(org, ids, 3, clock)
    before = await counts(org)
    allowed = action in ALLOWED[role]

    if action == "lapor":
        await chat.send("/lapor")
        if allowed:
            assert "Laporan kemajuan kinerja 2026" in chat.question.text
            await chat.tap(1)
            await chat.send("1")
            await chat.send("Kegiatan")
            await chat.tap("Lewati")
            await chat.tap("Hari ini")
            await chat.tap("Kirim")
            assert "menunggu persetujuan atasan" in chat.text
            rows = await read(org, lambda r: r.db.fetchall("SELECT employee_id, status, created_at"
                                         " FROM progress_reports WHERE id > ?", (report_id,)))
            assert [tuple(r) for r in rows] == [(me, "pending", clock.now.isoformat())]
    elif action == "status":
        await chat.send("/status")
        if allowed:
            (employee,) = [e for e in await read(org, lambda r: r.employees_by_nip([nip or ""]))]
            assert f"Capaian {employee.nama} tahun 2026" in chat.text
            if nip != STAF_A:
                assert "Andi" not in chat.text and "KTP-el" not in chat.text
            assert await counts(org) == before
    elif action == "tinjau":
        await chat.send("/tinjau")
        if allowed:
            assert "Andi Pratama" in chat.question.text
            await chat.tap("Setujui")
            assert "disetujui" in chat.text
            report = await read(org, lambda r: r.report_by_id(report_id))
            assert report is not None and report.status == "approved"
            assert [(d["action"], d["by_employee_id"], d["at"])
                    for d in await read(org, lambda r: r.decisions_of(report_id))] == [
                ("approve", me, clock.now.isoformat())]
        else:
            assert "Andi Pratama" not in chat.text
            if me is not None:  # storage refuses too, whatever the flow shows
                async with org.unit() as uow:
                    assert not await uow.decide_report(report_id, me, "approve", None,
                                                       clock.now, second_level)
            report = await read(org, lambda r: r.report_by_id(report_id))
            assert report is not None and report.status == "pending"
    elif action == "nilai":
        await chat.send("/nilai")
        if allowed:
            assert ANDI in chat.labels
            await chat.tap(ANDI)
            for _ in BERAKHLAK_KEYS:
                await chat.tap("Sesuai ekspektasi")
            assert "Penilaian perilaku Andi Pratama triwulan 2026-Q4 tersimpan" in chat.text
            await chat.tap("Selesai")
            rows = await read(org, lambda r: r.db.fetchall(
                "SELECT DISTINCT employee_id, rater_id, at FROM behaviour_ratings"))
            assert [tuple(r) for r in rows] == [(ids[STAF_A], me, clock.now.isoformat())]
        else:
            assert "Andi Pratama" not in chat.text
            if me is not None:
                assert not await read(org, lambda r: r.may_review(me, ids[STAF_A], second_level))
    else:
        await chat.send("/admin")
        if allowed:
            assert "Ringkasan admin" in chat.text
            assert "Pegawai: 6" in chat.text
            assert "Laporan menunggu tinjauan: 1" in chat.text
            assert await counts(org) == before

    if not allowed:
        expected = DENIED[(role, action)]
        if expected == "list without Andi":
            assert "Pilih pegawai" in chat.question.text
            assert ANDI not in chat.labels and chat.labels
        else:
            assert expected in chat.text, chat.text
        assert await counts(org) == before, "a denied action stores nothing"


async def test_second_level_lists_subordinates_two_levels_down(
    org: Store, clock: Clock
) -> None:
    ids = await setup_staff(org)
    async with org.reading() as r:
        names = [e.nama for e in await r.reviewable_employees(ids[KADIS], True)]
        assert names == ["Andi Pratama", "Dewi Lestari", "Rudi Hartono",
                         "Siti Rahmawati, S.Sos.", "Yuni Astuti"]
        assert [e.nama for e in await r.reviewable_employees(ids[KADIS])] == [
            "Rudi Hartono", "Siti Rahmawati, S.Sos."]
        assert not await r.may_review(ids[KABID_2], ids[STAF_A], True), "another team"
        assert not await r.may_review(ids[STAF_A], ids[STAF_A], True), "nobody rates themself"


def test_settings_reach_the_engine_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_REVIEW_BY_SECOND_LEVEL", "true")
    monkeypatch.setenv("KINERJA_ADMIN_CHAT_IDS", '["telegram:42"]')
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    config = engine_config(settings, SECRET)
    assert config.review_by_second_level is True
    assert config.admin_chat_ids == frozenset({"telegram:42"})
    assert Settings(_env_file=None).model_copy(  # type: ignore[call-arg]
        update={"review_by_second_level": False}).review_by_second_level is False
    monkeypatch.delenv("KINERJA_REVIEW_BY_SECOND_LEVEL")
    assert Settings(_env_file=None).review_by_second_level is False  # type: ignore[call-arg]


# --- hasil kerja overrides, revisions, closing ---------------------------------


async def test_override_revise_close_then_refused(
    org: Store, clock: Clock, config: EngineConfig, tmp_path: Path
) -> None:
    ids = await setup_staff(org)
    engine = build_engine(org, config, clock=clock)
    boss = Chat(engine, "701")
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    docs, waktu = await read(org, lambda r: r.indicators_of(ids[STAF_A], 2026))
    async with org.unit() as uow:
        for amount, action in [(4, "approve"), (2, "approve"), (5, "reject"), (3, None)]:
            report_id = await uow.submit_report(NewReport(
                docs.id, ids[STAF_A], amount, "kerja", date(2026, 11, 1), "test", clock.now))
            if action:
                assert await uow.decide_report(report_id, ids[KABID], action, "ok", clock.now)

    # Override: approved 6 of 12 → capaian 50 % → suggested Di bawah; waktu has no data.
    await boss.send("/nilai hasil")
    assert "Penilaian hasil kerja triwulan 2026-Q4" in boss.question.text
    await boss.tap(ANDI)
    summary = boss.question.text
    assert ("Dokumen KTP-el diverifikasi: target 12 dokumen, realisasi disetujui 6 dokumen, "
            "capaian 50% — saran: Di bawah ekspektasi") in summary
    # a rata-rata (turun hari) indicator without reports has no realisasi yet: "–", not 0
    assert "Waktu penyelesaian: target 3 hari, realisasi disetujui – hari, capaian – — saran: " \
           "belum ada data" in summary
    await boss.tap("Ubah per indikator")
    assert "1/2 Dokumen KTP-el diverifikasi — Andi Pratama (2026-Q4)" in boss.question.text
    assert "Saran: Di bawah ekspektasi" in boss.question.text
    assert boss.labels == ["Di bawah", "Sesuai", "Di atas", "Pakai saran"]
    await boss.tap("Sesuai")
    assert "2/2 Waktu penyelesaian" in boss.question.text
    assert await read(org, lambda r: r.indicator_ratings_of("2026-Q4", ids[STAF_A])) == {}, (
        "saved at the end")
    await boss.tap("Pakai saran")
    assert "Penilaian hasil kerja Andi Pratama triwulan 2026-Q4 tersimpan" in boss.text
    assert "• Dokumen KTP-el diverifikasi: Sesuai ekspektasi" in boss.text
    assert "• Waktu penyelesaian: belum ada data" in boss.text
    assert await read(org, lambda r: r.indicator_ratings_of("2026-Q4", ids[STAF_A])) == {
        docs.id: "sesuai", waktu.id: None}
    first_at = clock.now.isoformat()

    # Revise an hour later: the earlier override is shown, the latest wins, history stays.
    clock.advance(hours=1)
    await boss.send("/nilai hasil")
    await boss.tap(ANDI)
    assert "saran: Di bawah ekspektasi — penilaian Anda: Sesuai ekspektasi" in boss.question.text
    await boss.tap("Ubah per indikator")
    assert "Penilaian Anda sebelumnya: Sesuai ekspektasi" in boss.question.text
    await boss.tap("Di atas")
    await boss.tap("Di bawah")
    assert await read(org, lambda r: r.indicator_ratings_of("2026-Q4", ids[STAF_A])) == {
        docs.id: "di_atas", waktu.id: "di_bawah"}
    history = [(h["rating"], h["rater_id"], h["period"], h["rated_at"])
               for h in await read(org, lambda r: r.indicator_rating_history(docs.id))]
    assert history == [("sesuai", ids[KABID], "2026-Q4", first_at),
                       ("di_atas", ids[KABID], "2026-Q4", clock.now.isoformat())]

    # A behaviour rating under way when the period is closed is refused at its save.
    await boss.send("/nilai")
    await boss.tap(ANDI)
    for _ in BERAKHLAK_KEYS[:-1]:
        await boss.tap("Sesuai ekspektasi")

    app = App(Settings(_env_file=None, db=tmp_path / "unused.db"),  # type: ignore[call-arg]
              org, engine, SECRET)
    with pytest.raises(CloseError):
        await close_period(app, "2026-Q9", None, clock.now)
    with pytest.raises(CloseError):
        await close_period(app, "2026", None, clock.now)
    with pytest.raises(CloseError):
        await close_period(app, "2026-Q4", "NOPE", clock.now)
    assert "ditutup untuk unit DISDUKCAPIL" in await close_period(
        app, "2026-q4", "DISDUKCAPIL", clock.now)
    assert "sudah ditutup" in await close_period(app, "2026-Q4", "DISDUKCAPIL", clock.now)
    andi = await read(org, lambda r: r.employee_by_id(ids[STAF_A]))
    assert andi is not None
    assert await read(org, lambda r: r.period_closed("2026-Q4", andi.unit_id))
    assert not await read(org, lambda r: r.period_closed("2026-Q3", andi.unit_id))

    before = await counts(org)
    await boss.tap("Sesuai ekspektasi")
    assert "Periode penilaian 2026-Q4 sudah ditutup" in boss.text
    assert await read(org, lambda r: r.behaviour_of("2026-Q4", ids[STAF_A])) == {}

    # Any later revision is refused with a clear message, nothing stored.
    for command in ("/nilai hasil", "/nilai"):
        await boss.send(command)
        await boss.tap(ANDI)
        assert "Periode penilaian 2026-Q4 sudah ditutup" in boss.text
        assert "Tidak ada yang disimpan" in boss.text
    assert await counts(org) == before
    assert await read(org, lambda r: r.indicator_ratings_of("2026-Q4", ids[STAF_A])) == {
        docs.id: "di_atas", waktu.id: "di_bawah"}


async def test_closing_all_units_and_the_english_texts(
    org: Store, clock: Clock, config: EngineConfig, tmp_path: Path
) -> None:
    ids = await setup_staff(org)
    engine = build_engine(org, config, clock=clock)
    boss = Chat(engine, "702")
    await linked(boss, org, KABID, "EFGH2345", clock.now)
    await boss.send("/bahasa en")
    await boss.send("/nilai results")
    await boss.tap(ANDI)
    assert "suggested: Below expectations" in boss.question.text
    await boss.tap("Done")
    assert "unchanged" in boss.text
    async with org.unit() as uow:
        assert await uow.close_period("2026-Q4", None, clock.now)
        assert not await uow.close_period("2026-Q4", "DISDUKCAPIL", clock.now)
    await boss.send("/nilai")
    await boss.tap(ANDI)
    assert "period 2026-Q4 is closed" in boss.text
    andi = await read(org, lambda r: r.employee_by_id(ids[STAF_A]))
    assert andi is not None and await read(org, lambda r: r.period_closed("2026-Q4", andi.unit_id))


def test_close_period_cli(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    result = kinerja(tmp_path, "close-period", "2026-Q4", "--unit", "DISDUKCAPIL", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Periode 2026-Q4 ditutup untuk unit DISDUKCAPIL" in result.stdout
    again = kinerja(tmp_path, "close-period", "2026-Q4", "--yes")
    assert again.returncode == 0 and "ditutup untuk semua unit" in again.stdout
    for bad in (["2026-Q5"], ["2026-Q4", "--unit", "NOPE"]):
        failed = kinerja(tmp_path, "close-period", *bad, "--yes")
        assert failed.returncode == 1
        assert "✗" in failed.stderr

