"""The officers' dashboard (login by link, :mod:`bot.web.auth`).

Who may see or do what is decided by the functions the chat uses:

- an atasan (someone :meth:`reviewable_employees` returns people for — the chat's /tinjau
  help) sees the pending reports of the people they review (:meth:`pending_reports_for`)
  with the evidence, and decides them through :meth:`decide_report` (which checks
  :meth:`may_review` and that the report is still pending, as in the chat); the employee is
  told through the outbox (:func:`bot.conversation.push.push_rendered`) with the chat's own
  ``decision_*`` texts;
- an evidence file is served only to whoever may review that report (or its author), and
  only a file named by its SHA-256 inside ``evidence_dir``;
- an administrator (a chat of ``admin_chat_ids`` via /dasbor, or ``kinerja web-login``)
  sees the service points and staff lists, downloads posters and uploads imports.

Every POST checks the session's CSRF token. Pages are ``no-store``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.conversation import texts
from bot.conversation.messages import Reply
from bot.conversation.ports.reports import ReportInfo
from bot.conversation.push import push_rendered
from bot.storage import Store
from bot.web.auth import PRE_COOKIE, Auth, Officer, check_csrf
from bot.web.qr import known_username
from bot.web.site import WebConfig, language, render, secured
from kinerja.numbers import format_number

TEXT_MAX = 500  # as the chat's /tinjau
ACTIONS = ("approve", "reject", "comment")
_EVIDENCE_NAME = re.compile(r"^[0-9a-f]{64}(\.jpg|\.png|\.pdf)?$")
NO_STORE = {"Cache-Control": "no-store"}


class ImportProblem(Protocol):
    file: str
    row: int | None
    column: str | None
    message: str


#: the import machinery, handed down by the CLI (bot.admin sits above the web):
#: ``(kind, file name, content) -> (summary, [])`` or ``(None, problems)`` — each problem
#: with ``file``, ``row``, ``column`` and ``message``; nothing is written when there are
Importer = Callable[[str, str, bytes], Awaitable[tuple[str | None, list[Any]]]]
IMPORT_KINDS = ("units", "services", "points", "employees", "targets", "skm")

#: invite codes for a unit's employees, handed down by the CLI (``kinerja invite --unit``):
#: ``(unit code, relink) -> (rows, None)`` — rows with ``nip``, ``nama``, ``jabatan``,
#: ``code``, ``expires_at`` — or ``([], message)``; the codes appear nowhere else
Inviter = Callable[[str, bool], Awaitable[tuple[list[dict[str, str]], str | None]]]


#: a roster change of ``kinerja staff|points`` (bot/admin/roster.py) with the CLI's checks:
#: ``(ok, message)`` — the message in Indonesian, as the CLI prints it
RosterCall = Callable[..., Awaitable[tuple[bool, str]]]


@dataclass(frozen=True)
class AdminTools:
    """What the administrator's pages borrow from the CLI (``bot.admin`` sits above the
    web): the import machinery, the invitations and the roster changes (``save_staff(nip,
    new=, nama=, jabatan=, unit=, atasan=, no_atasan=, phone=)``, ``staff_active(nip,
    active)``, ``add_point(code, service, name, officer)``, ``point_active(code, active)``).
    Any may be missing (the page then offers nothing there)."""

    importer: Importer | None = None
    inviter: Inviter | None = None
    save_staff: RosterCall | None = None
    staff_active: RosterCall | None = None
    add_point: RosterCall | None = None
    point_active: RosterCall | None = None


def _decision_notice(report: ReportInfo, atasan: str, action: str,
                     text: str | None) -> Callable[[str], Reply]:
    """The push the employee gets: the chat's ``decision_*`` text in their language."""
    key = {"approve": "decision_approved", "reject": "decision_rejected",
           "comment": "decision_comment"}[action]

    def render_in(lang: str) -> Reply:
        return Reply(texts.text(
            lang, key, atasan=atasan, indikator=report.indikator,
            amount=format_number(report.amount, lang), satuan=report.satuan,
            date=report.work_date.strftime("%d/%m/%Y"), text=text or ""))

    return render_in


def _staff_fields(form: Mapping[str, Any]) -> dict[str, Any]:
    """The employee form's fields for ``save_staff`` (blank: unchanged; an empty atasan
    with "no atasan" ticked: none)."""
    def value(name: str) -> str | None:
        text = str(form.get(name, "")).strip()
        return text or None

    return {"nama": value("nama"), "jabatan": value("jabatan"), "unit": value("unit"),
            "atasan": value("atasan"), "no_atasan": form.get("no_atasan") == "1",
            "phone": value("phone")}


def _read_evidence(folder: Path, name: str) -> bytes | None:
    """The file ``name`` directly inside ``folder`` (resolved: no way out of it), or
    ``None``. Blocking: run it in a worker thread."""
    target = (folder / name).resolve()
    if target.parent != folder:
        return None
    try:
        return target.read_bytes()
    except OSError:
        return None


def dashboard_routes(store: Store, config: WebConfig, *,
                     clock: Callable[[], datetime] | None = None,
                     tools: AdminTools | None = None) -> list[BaseRoute]:
    """The login, logout and dashboard routes over ``store``."""
    importer = tools.importer if tools else None
    inviter = tools.inviter if tools else None
    now_of = clock or (lambda: datetime.now(UTC))
    auth = Auth(store, config, clock=now_of)
    evidence_folder = Path(config.evidence_dir).resolve()

    def page(request: Request, template: str, context: Mapping[str, Any], *,
             officer: Officer | None = None, status: int = 200) -> Response:
        lang = language(request, config.default_language)
        return render(request, template, {"officer": officer, **context}, lang=lang,
                      status=status, headers=NO_STORE)

    def message(request: Request, key: str, status: int, *, extra: str | None = None
                ) -> Response:
        context: dict[str, Any] = {"message_key": key}
        if extra:
            context["extra_key"] = extra
        return page(request, "message.html", context, status=status)

    def guarded(need: str | None = None) -> Callable[[Callable[[Request, Officer],
                                                               Awaitable[Response]]], Any]:
        """Log-in required (401 page otherwise); ``need``: "admin" or "atasan" (403);
        a POST must carry the session's CSRF token (403)."""

        def wrap(handler: Callable[[Request, Officer], Awaitable[Response]]) -> Any:
            async def endpoint(request: Request) -> Response:
                officer = await auth.officer(request)
                if officer is None:
                    return message(request, "web_need_login", 401)
                if (need == "admin" and not officer.is_admin) or (
                        need == "atasan" and not officer.is_atasan):
                    return message(request, "web_forbidden", 403)
                if request.method == "POST":
                    form = await request.form()
                    if not check_csrf(officer, form.get("csrf")):
                        return message(request, "web_csrf", 403)
                return await handler(request, officer)

            return secured(endpoint)

        return wrap

    # --- login / logout -------------------------------------------------------

    async def login_form(request: Request) -> Response:
        value = auth.pre_login(request)
        response = page(request, "login.html", {"pre": value})
        auth.set_cookie(response, request, PRE_COOKIE, value, max_age=15 * 60)
        return response

    async def login(request: Request) -> Response:
        if auth.limited(request):
            return message(request, "web_login_slow", 429)
        form = await request.form()
        done = await auth.log_in(
            request, request.path_params["token"], str(form.get("pre", "")),
            lambda: RedirectResponse("/dasbor", status_code=303, headers=NO_STORE))
        if done is None:
            return message(request, "web_login_bad", 400)
        return done

    @guarded()
    async def logout(request: Request, officer: Officer) -> Response:
        await auth.log_out(officer)
        response = message(request, "web_logged_out", 200)
        response.delete_cookie("kinerja_sesi", path="/")
        return response

    # --- home ---------------------------------------------------------------

    @guarded()
    async def home(request: Request, officer: Officer) -> Response:
        return page(request, "dashboard.html", {}, officer=officer)

    # --- review -------------------------------------------------------------

    async def pending(officer: Officer) -> list[dict[str, Any]]:
        assert officer.employee is not None
        async with store.reading() as r:
            reports = await r.pending_reports_for(officer.employee.id,
                                                  config.review_by_second_level)
            out = []
            for report in reports:
                evidence = await r.report_evidence(report.id)
                history = await r.decisions_of(report.id)
                out.append({"report": report, "evidence": evidence, "history": history})
        return out

    @guarded("atasan")
    async def review_list(request: Request, officer: Officer) -> Response:
        lang = language(request, config.default_language)
        notice = None
        done, report_id = request.query_params.get("selesai"), request.query_params.get("laporan")
        if done in ACTIONS and report_id and report_id.isdigit():
            async with store.reading() as r:
                decided = await r.report_by_id(int(report_id))
            if decided is not None and await _may_see(officer, decided):
                notice = texts.text(lang, f"web_decided_{done}", nama=decided.employee_nama)
        error = request.query_params.get("galat")
        return page(request, "review.html", {
            "items": await pending(officer), "notice": notice,
            "error": texts.text(lang, "web_text_needed", max=TEXT_MAX) if error else None,
            "amount": lambda v: format_number(v, lang), "max": TEXT_MAX,
        }, officer=officer)

    @guarded("atasan")
    async def decide(request: Request, officer: Officer) -> Response:
        assert officer.employee is not None
        form = await request.form()
        action = str(form.get("action", ""))
        text = str(form.get("text", "")).strip() or None
        raw_id = request.path_params["report_id"]
        if action not in ACTIONS or not raw_id.isdigit():
            return message(request, "web_forbidden", 403)
        if action != "approve" and (not text or len(text) > TEXT_MAX):
            return RedirectResponse("/dasbor/tinjau?galat=1", status_code=303)
        if action == "approve":
            text = None
        now = now_of()
        me = officer.employee
        async with store.unit() as uow:
            report = await uow.report_by_id(int(raw_id))
            allowed = report is not None and await uow.decide_report(
                report.id, me.id, action, text, now, config.review_by_second_level)
            if allowed:
                assert report is not None
                await push_rendered(uow, report.employee_id,
                                    _decision_notice(report, me.nama, action, text),
                                    at=now, default_language=config.default_language,
                                    kind="feedback")
        if not allowed:
            return message(request, "web_forbidden", 403)
        return RedirectResponse(f"/dasbor/tinjau?selesai={action}&laporan={raw_id}",
                                status_code=303)

    async def _may_see(officer: Officer, report: ReportInfo) -> bool:
        """The author, or whoever may review the report (the chat's rule)."""
        if officer.employee is None:
            return False
        if report.employee_id == officer.employee.id:
            return True
        async with store.reading() as r:
            return await r.may_review(officer.employee.id, report.employee_id,
                                      config.review_by_second_level)

    @guarded()
    async def evidence(request: Request, officer: Officer) -> Response:
        raw_id = request.path_params["report_id"]
        missing = message(request, "web_not_found", 404)
        if not raw_id.isdigit():
            return missing
        async with store.reading() as r:
            report = await r.report_by_id(int(raw_id))
            found = await r.report_evidence(int(raw_id))
        if report is None or found is None:
            return missing
        if not await _may_see(officer, report):
            return message(request, "web_forbidden", 403)
        if found.status != "stored" or not found.path:
            return missing
        name = Path(found.path).name
        if not _EVIDENCE_NAME.match(name) or not name.startswith(found.sha256 or "-"):
            return missing
        content = await asyncio.to_thread(_read_evidence, evidence_folder, name)
        if content is None:
            return missing
        mime = found.mime if found.mime in ("image/jpeg", "image/png", "application/pdf") \
            else "application/octet-stream"
        inline = mime.startswith("image/")
        return Response(content, media_type=mime, headers={
            "Content-Disposition": ("inline" if inline else "attachment")
            + f'; filename="bukti-{raw_id}{Path(name).suffix}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        })

    @guarded("atasan")
    async def team(request: Request, officer: Officer) -> Response:
        """The team's progress this year against the pro-rated target: every indicator of
        every person the atasan reviews, by :func:`kinerja.skp.progress` (the rule of the
        chat's /status and /ringkasan); bars drawn as SVG."""
        from bot.conversation.ports.indicators import ReportedAmounts
        from kinerja import skp
        from kinerja.periods import period_of

        assert officer.employee is not None
        lang = language(request, config.default_language)
        now = now_of()
        year = period_of("year", now, config.tz)
        elapsed = year.elapsed_fraction(now, config.tz)
        people = []
        async with store.reading() as r:
            for person in await r.reviewable_employees(officer.employee.id,
                                                       config.review_by_second_level):
                indicators = await r.indicators_of(person.id, int(year.label))
                reported = await r.reported_amounts(person.id, int(year.label))
                rows = []
                for indicator in indicators:
                    amounts = reported.get(indicator.id, ReportedAmounts())
                    done = skp.progress(indicator.target, indicator.arah, indicator.agregasi,
                                        amounts.approved, elapsed)
                    capaian = done.capaian_to_date
                    rows.append({
                        "indikator": indicator.indikator, "satuan": indicator.satuan,
                        "realisasi": done.realisasi, "target_to_date": done.target_to_date,
                        "target": indicator.target, "capaian": capaian,
                        "width": 0 if capaian is None else max(0.0, min(float(capaian), 150.0)),
                        "status": done.status.value,
                    })
                people.append({"person": person, "rows": rows})
        return page(request, "team.html", {
            "people": people, "year": year.label,
            "elapsed": format_number(elapsed * 100, lang, decimals=1),
            "percent": lambda v: "—" if v is None else format_number(v, lang, decimals=1) + "%",
        }, officer=officer)

    # --- admin ----------------------------------------------------------------

    async def points_page(request: Request, officer: Officer, notice: tuple[bool, str] | None
                          = None) -> Response:
        async with store.reading() as r:
            rows = await r.all_points()
            services = await r.codes("services")
        return page(request, "points.html", {
            "points": rows, "services": sorted(services), "notice": notice,
            "can_add": tools is not None and tools.add_point is not None,
            "can_toggle": tools is not None and tools.point_active is not None,
        }, officer=officer, status=200 if notice is None or notice[0] else 422)

    async def staff_page(request: Request, officer: Officer, notice: tuple[bool, str] | None
                         = None) -> Response:
        async with store.reading() as r:
            rows = await r.staff_rows(include_inactive=True)
            units = sorted(await r.codes("units"))
        return page(request, "staff.html", {
            "staff": rows, "units": units, "notice": notice,
            "can_add": tools is not None and tools.save_staff is not None,
            "can_toggle": tools is not None and tools.staff_active is not None,
        }, officer=officer, status=200 if notice is None or notice[0] else 422)

    @guarded("admin")
    async def points(request: Request, officer: Officer) -> Response:
        return await points_page(request, officer)

    @guarded("admin")
    async def point_add(request: Request, officer: Officer) -> Response:
        """A new point (``kinerja points add``: the same checks and message)."""
        if tools is None or tools.add_point is None:
            return message(request, "web_forbidden", 400)
        form = await request.form()
        notice = await tools.add_point(
            str(form.get("code", "")).strip(), str(form.get("service", "")).strip(),
            str(form.get("name", "")), str(form.get("officer", "")).strip() or None)
        return await points_page(request, officer, notice)

    @guarded("admin")
    async def point_active(request: Request, officer: Officer) -> Response:
        """Deactivate or activate a point (``kinerja points deactivate|activate``): its old
        responses stay, its QR then says the counter is no longer in use, no poster."""
        action = str((await request.form()).get("action", ""))
        if tools is None or tools.point_active is None or action not in (
                "activate", "deactivate"):
            return message(request, "web_forbidden", 400)
        notice = await tools.point_active(request.path_params["code"], action == "activate")
        return await points_page(request, officer, notice)

    @guarded("admin")
    async def staff(request: Request, officer: Officer) -> Response:
        return await staff_page(request, officer)

    @guarded("admin")
    async def staff_add(request: Request, officer: Officer) -> Response:
        """A new employee (``kinerja staff add``: the same checks and message)."""
        if tools is None or tools.save_staff is None:
            return message(request, "web_forbidden", 400)
        form = await request.form()
        notice = await tools.save_staff(
            str(form.get("nip", "")).strip(), new=True, **_staff_fields(form))
        return await staff_page(request, officer, notice)

    @guarded("admin")
    async def staff_edit_form(request: Request, officer: Officer) -> Response:
        async with store.reading() as r:
            fields = await r.employee_fields(request.path_params["nip"])
            units = sorted(await r.codes("units"))
        if fields is None:
            return message(request, "web_not_found", 404)
        return page(request, "staff_edit.html", {"e": fields, "units": units, "notice": None,
                                                 "can_edit": tools is not None
                                                 and tools.save_staff is not None},
                    officer=officer)

    @guarded("admin")
    async def staff_change(request: Request, officer: Officer) -> Response:
        """Save an employee's fields (``kinerja staff edit``) or deactivate / activate them
        (``kinerja staff deactivate|activate``: history kept, chats unlinked, their
        dashboard sessions end)."""
        form = await request.form()
        action = str(form.get("action", ""))
        nip = request.path_params["nip"]
        if tools is None:
            return message(request, "web_forbidden", 400)
        if action in ("activate", "deactivate") and tools.staff_active is not None:
            notice = await tools.staff_active(nip, action == "activate")
        elif action == "save" and tools.save_staff is not None:
            notice = await tools.save_staff(nip, new=False, **_staff_fields(form))
        else:
            return message(request, "web_forbidden", 400)
        return await staff_page(request, officer, notice)

    @guarded("admin")
    async def poster(request: Request, officer: Officer) -> Response:
        from bot.web.posters import NoChannel, PosterSource, poster_name, render_point_poster

        code, fmt = request.path_params["code"], request.path_params["fmt"]
        size = request.query_params.get("ukuran", "a4")
        if fmt not in ("pdf", "png") or size not in ("a4", "a5"):
            return message(request, "web_not_found", 404)
        async with store.reading() as r:
            point = await r.point_by_code(code)
        if point is None or not point.active:
            return message(request, "web_not_found", 404)
        try:
            source = PosterSource(config.secret_key,
                                  await known_username(store, config.telegram_username),
                                  config.whatsapp_number)
        except NoChannel:
            return message(request, "web_tv_no_qr", 409)
        lang = language(request, config.default_language)
        content = await asyncio.to_thread(render_point_poster, point, source, language=lang,
                                          size=size, fmt=fmt)
        return Response(content, media_type="application/pdf" if fmt == "pdf" else "image/png",
                        headers={"Content-Disposition":
                                 f'attachment; filename="{poster_name(point, size, fmt)}"',
                                 **NO_STORE})

    @guarded("admin")
    async def import_form(request: Request, officer: Officer) -> Response:
        return page(request, "import.html", {"kinds": IMPORT_KINDS, "problems": None,
                                             "written": None, "enabled": importer is not None},
                    officer=officer)

    @guarded("admin")
    async def import_upload(request: Request, officer: Officer) -> Response:
        form = await request.form()
        kind = str(form.get("kind", ""))
        upload = form.get("file")
        if importer is None or kind not in IMPORT_KINDS or upload is None or isinstance(
                upload, str):
            return message(request, "web_forbidden", 400)
        content = await upload.read()
        summary, problems = await importer(kind, upload.filename or "berkas", content)
        return page(request, "import.html", {
            "kinds": IMPORT_KINDS, "problems": problems, "written": summary,
            "enabled": True, "chosen": kind,
        }, officer=officer, status=422 if problems else 200)

    @guarded("admin")
    async def invite_form(request: Request, officer: Officer) -> Response:
        async with store.reading() as r:
            units = await r.units()
        return page(request, "invite.html", {"units": units, "rows": None, "error": None,
                                             "enabled": inviter is not None}, officer=officer)

    @guarded("admin")
    async def invite_sheet(request: Request, officer: Officer) -> Response:
        """New activation codes for a unit's employees (``kinerja invite --unit``), as a
        sheet to print and cut: the only place the codes are shown (``no-store``)."""
        form = await request.form()
        unit = str(form.get("unit", ""))
        if inviter is None or not unit:
            return message(request, "web_forbidden", 400)
        rows, error = await inviter(unit, form.get("relink") == "1")
        async with store.reading() as r:
            units = await r.units()
        return page(request, "invite.html", {"units": units, "rows": rows, "error": error,
                                             "enabled": True, "chosen": unit},
                    officer=officer, status=422 if error else 200)

    return [
        Route("/masuk/{token}", secured(login_form), methods=["GET"]),
        Route("/masuk/{token}", secured(login), methods=["POST"]),
        Route("/keluar", logout, methods=["POST"]),
        Route("/dasbor", home, methods=["GET"]),
        Route("/dasbor/tinjau", review_list, methods=["GET"]),
        Route("/dasbor/tim", team, methods=["GET"]),
        Route("/dasbor/tinjau/{report_id}", decide, methods=["POST"]),
        Route("/dasbor/bukti/{report_id}", evidence, methods=["GET"]),
        Route("/dasbor/titik", points, methods=["GET"]),
        Route("/dasbor/titik", point_add, methods=["POST"]),
        Route("/dasbor/titik/{code}", point_active, methods=["POST"]),
        Route("/dasbor/pegawai", staff, methods=["GET"]),
        Route("/dasbor/pegawai", staff_add, methods=["POST"]),
        Route("/dasbor/pegawai/{nip}", staff_edit_form, methods=["GET"]),
        Route("/dasbor/pegawai/{nip}", staff_change, methods=["POST"]),
        Route("/dasbor/poster/{code}.{fmt}", poster, methods=["GET"]),
        Route("/dasbor/impor", import_form, methods=["GET"]),
        Route("/dasbor/impor", import_upload, methods=["POST"]),
        Route("/dasbor/undangan", invite_form, methods=["GET"]),
        Route("/dasbor/undangan", invite_sheet, methods=["POST"]),
    ]


#: every dashboard route with the role it needs (the matrix test walks this)
ROUTE_ROLES: dict[tuple[str, str], str | None] = {
    ("POST", "/keluar"): None,
    ("GET", "/dasbor"): None,
    ("GET", "/dasbor/tinjau"): "atasan",
    ("GET", "/dasbor/tim"): "atasan",
    ("POST", "/dasbor/tinjau/{report_id}"): "atasan",
    ("GET", "/dasbor/bukti/{report_id}"): None,
    ("GET", "/dasbor/titik"): "admin",
    ("GET", "/dasbor/pegawai"): "admin",
    ("POST", "/dasbor/titik"): "admin",
    ("POST", "/dasbor/titik/{code}"): "admin",
    ("POST", "/dasbor/pegawai"): "admin",
    ("GET", "/dasbor/pegawai/{nip}"): "admin",
    ("POST", "/dasbor/pegawai/{nip}"): "admin",
    ("GET", "/dasbor/poster/{code}.{fmt}"): "admin",
    ("GET", "/dasbor/impor"): "admin",
    ("POST", "/dasbor/impor"): "admin",
    ("GET", "/dasbor/undangan"): "admin",
    ("POST", "/dasbor/undangan"): "admin",
}
