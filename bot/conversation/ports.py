"""What the conversation layer needs from storage, as small Protocols.

Storage (``bot.storage``) implements these; the engine and flows depend only
on them, so conversation code never imports storage or SQL. The records are
plain frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    import pandas as pd

#: the handle a :class:`UnitFactory` gives (the ports it implements)
H_co = TypeVar("H_co", covariant=True)


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    id: int
    code: str
    name: str
    unit_id: int


@dataclass(frozen=True, slots=True)
class PointInfo:
    """A service point with the service and unit it belongs to."""

    id: int
    code: str
    name: str
    service_id: int
    service_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    officer_nip: str | None = None
    active: bool = True


@dataclass(slots=True)
class SessionRecord:
    """One chat's conversation state. ``data`` is JSON-able."""

    channel: str
    chat_id: str
    flow: str
    step: str
    seq: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    language: str | None = None
    updated_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewResponse:
    """A survey response ready to store: no identity of the respondent.

    ``answers`` maps each unsur key to 1..4 (or ``None`` for blank, paper
    forms only); ``profile`` maps profile field to its option or ``None``.
    """

    point_id: int
    submitted_at: datetime
    channel: str
    answers: dict[str, int | None]
    profile: dict[str, str | None]
    saran: str | None


@dataclass(frozen=True, slots=True)
class AnswerSums:
    """Aggregated SKM answers: ``n`` responses; per unsur key the sum and count of answers."""

    n: int
    sums: dict[str, int]
    counts: dict[str, int]


class UnitFactory(Protocol[H_co]):
    """Opens units of work — what the engine needs from storage to run a turn.

    ``unit()``: an exclusive unit of work whose handle (``H_co``: the ports it
    implements) offers the reads and writes; everything done through it
    commits together at the end of the block, or not at all when the block
    raises. ``reading()``: a handle that sees only committed data and cannot
    write. A handle belongs to the task that opened it and ends with its block.
    """

    def unit(self) -> AbstractAsyncContextManager[H_co]: ...

    def reading(self) -> AbstractAsyncContextManager[H_co]: ...


class SessionStore(Protocol):
    async def load_session(self, channel: str, chat_id: str) -> SessionRecord | None: ...

    async def claim_and_load(
        self, channel: str, chat_id: str, message_id: str | None, at: datetime
    ) -> tuple[bool, SessionRecord | None]:
        """Record the platform message id (skipped when ``None``), then ``load_session``.

        ``(False, None)`` when that message id was already handled (a redelivery).
        The engine calls it for every message, so it is one trip to the database.
        """
        ...

    async def save_session(self, record: SessionRecord) -> None: ...

    async def delete_session(self, channel: str, chat_id: str) -> None: ...


class OrganisationReader(Protocol):
    async def point_by_code(self, code: str) -> PointInfo | None: ...

    async def point_by_id(self, point_id: int) -> PointInfo | None: ...

    async def units_with_points(self) -> list[UnitInfo]:
        """Units that have at least one active service point, by name."""
        ...

    async def services_with_points(self, unit_id: int) -> list[ServiceInfo]: ...

    async def points_of_service(self, service_id: int) -> list[PointInfo]: ...


class SurveyStore(Protocol):
    async def responses_on_day(self, chat_hash: str, point_id: int, day: date) -> int:
        """How many responses this (hashed) chat sent for this point that day."""
        ...

    async def submit_response(self, response: NewResponse, chat_hash: str, day: date) -> int:
        """Store the response and count it against the chat's daily limit; return its id."""
        ...

    async def unit_answer_sums(
        self, unit_id: int, start: datetime, end: datetime
    ) -> AnswerSums:
        """Per-unsur sums and counts of a unit's answers in [start, end), aggregated in SQL."""
        ...


class SecretStore(Protocol):
    async def get_meta(self, key: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class EmployeeInfo:
    """A pegawai. ``atasan_id`` is the direct superior (``None`` for the top)."""

    id: int
    nip: str
    nama: str
    jabatan: str
    unit_id: int
    atasan_id: int | None = None


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """One indikator kinerja individu of an employee's SKP for ``tahun``."""

    id: int
    employee_id: int
    tahun: int
    rhk: str
    jenis: str
    indikator: str
    aspek: str
    target: float
    satuan: str
    arah: str


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A chat the bot can push to."""

    channel: str
    chat_id: str


@dataclass(frozen=True, slots=True)
class NewReport:
    """A progress report ready to store (status starts ``pending``)."""

    indicator_id: int
    employee_id: int
    amount: float
    description: str
    work_date: date
    channel: str
    created_at: datetime
    evidence_kind: str | None = None
    evidence_ref: str | None = None
    evidence_mime: str | None = None
    evidence_path: str | None = None
    evidence_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """A stored progress report with its indicator and reporter."""

    id: int
    indicator_id: int
    employee_id: int
    employee_nama: str
    atasan_id: int | None
    indikator: str
    satuan: str
    amount: float
    description: str
    work_date: date
    status: str
    evidence_kind: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Realisasi:
    """Sums of reported amounts of one indicator by status."""

    approved: float = 0.0
    pending: float = 0.0


@dataclass(frozen=True, slots=True)
class CitizenScore:
    """Citizens' mean answers (1..4) on unsur perilaku and kompetensi for an officer."""

    perilaku: float | None
    kompetensi: float | None
    n: int


class OutboxWriter(Protocol):
    async def enqueue(
        self,
        channel: str,
        chat_id: str,
        reply: Any,
        *,
        at: datetime,
        kind: str = "message",
        dedup_key: str | None = None,
    ) -> int | None:
        """Queue a push (a :class:`~bot.conversation.messages.Reply`); ``None`` if deduped."""
        ...


class StaffStore(Protocol):
    """Employees, their chat links, indicators, reports, decisions and ratings."""

    async def employee_by_chat(self, channel: str, chat_id: str) -> EmployeeInfo | None: ...

    async def employee_by_id(self, employee_id: int) -> EmployeeInfo | None: ...

    async def subordinates(self, atasan_id: int) -> list[EmployeeInfo]:
        """Direct subordinates, by name."""
        ...

    async def chats_of(self, employee_id: int) -> list[ChatRef]: ...

    async def failed_activations_since(self, channel: str, chat_id: str, since: datetime) -> int:
        ...

    async def record_failed_activation(self, channel: str, chat_id: str, at: datetime) -> None:
        ...

    async def redeem_activation(
        self, code_hash: str, channel: str, chat_id: str, now: datetime
    ) -> EmployeeInfo | None:
        """Use an unexpired, unused, unrevoked code: link the chat; ``None`` otherwise.

        The chat then speaks for that employee only; the employee's earlier
        chat on the same channel is unlinked.
        """
        ...

    async def unlink_chat(self, channel: str, chat_id: str) -> bool:
        """Remove the chat's link; ``False`` when it was not linked."""
        ...

    async def indicators_of(self, employee_id: int, tahun: int) -> list[IndicatorInfo]: ...

    async def indicator_by_id(self, indicator_id: int) -> IndicatorInfo | None: ...

    async def submit_report(self, report: NewReport) -> int:
        """Store a pending report; return its id."""
        ...

    async def realisasi_of(self, employee_id: int, tahun: int) -> dict[int, Realisasi]:
        """Approved and pending sums per indicator id (indicators without reports absent)."""
        ...

    async def report_by_id(self, report_id: int) -> ReportInfo | None: ...

    async def pending_reports_for(
        self, atasan_id: int, second_level: bool = False
    ) -> list[ReportInfo]:
        """Pending reports of the direct subordinates of ``atasan_id`` (and, with
        ``second_level``, of their subordinates), oldest first."""
        ...

    async def decide_report(
        self,
        report_id: int,
        by_employee_id: int,
        action: str,
        text: str | None,
        at: datetime,
        second_level: bool = False,
    ) -> bool:
        """Record approve / reject / comment by the reporter's direct atasan.

        Approve and reject need a pending report and set its status; comment
        keeps the status. Returns ``False`` (nothing stored) when
        ``by_employee_id`` is not the direct atasan (nor, with ``second_level``,
        the atasan's atasan) or the report is no longer pending.
        """
        ...

    async def reviewable_employees(
        self, rater_id: int, second_level: bool = False
    ) -> list[EmployeeInfo]:
        """Whom ``rater_id`` may review and rate: direct subordinates (and, with
        ``second_level``, theirs), by name."""
        ...

    async def may_review(self, rater_id: int, employee_id: int, second_level: bool = False) -> bool:
        """Whether ``rater_id`` is the employee's direct atasan (or, with
        ``second_level``, the atasan's atasan)."""
        ...

    async def rate_indicators(
        self, period: str, rater_id: int, ratings: dict[int, str | None], at: datetime
    ) -> None:
        """Append hasil kerja ratings per indicator id (``None``: back to the suggestion)."""
        ...

    async def indicator_ratings_of(self, period: str, employee_id: int) -> dict[int, str | None]:
        """The latest override per indicator id of the employee for the period."""
        ...

    async def period_closed(self, period: str, unit_id: int) -> bool:
        """Whether ``period`` is closed for the unit (or for every unit)."""
        ...

    async def rate_behaviour(
        self, period: str, employee_id: int, rater_id: int, ratings: dict[str, str], at: datetime
    ) -> None:
        """Append BerAKHLAK ratings (value key → Rating value); the latest wins."""
        ...

    async def behaviour_of(self, period: str, employee_id: int) -> dict[str, str]:
        """The latest rating per value key for the period."""
        ...

    async def officer_score(self, nip: str, start: datetime, end: datetime) -> CitizenScore:
        """Citizens' answers at service points whose officer is ``nip``, in [start, end)."""
        ...


@dataclass(frozen=True, slots=True)
class RatingRecord:
    """The latest hasil kerja override of one indicator: ``rating`` ``None`` means the
    override was withdrawn (back to the suggestion); who gave it and when."""

    indicator_id: int
    rating: str | None
    rater_id: int
    rater_nama: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SelfAssessment:
    """An employee's latest self-assessment of a period.

    ``ratings`` maps ``"i:<indicator id>"`` and ``"v:<BerAKHLAK key>"`` to a Rating value.
    ``note`` is for the direct atasan's eyes only: never show it to anyone else.
    """

    employee_id: int
    period: str
    ratings: dict[str, str]
    note: str | None
    submitted_at: datetime


class ScoreStore(Protocol):
    """What /skor and /nilaidiri need beyond :class:`StaffStore`."""

    async def indicator_rating_records(
        self, period: str, employee_id: int
    ) -> dict[int, RatingRecord]:
        """The latest override row per indicator id for the period, with the rater's name."""
        ...

    async def save_self_assessment(
        self, employee_id: int, period: str, ratings: dict[str, str], note: str | None,
        at: datetime,
    ) -> int:
        """Append a self-assessment (history kept, the latest wins); return its id."""
        ...

    async def self_assessment_of(self, period: str, employee_id: int) -> SelfAssessment | None:
        """The latest self-assessment of the employee for the period, or ``None``."""
        ...


@dataclass(frozen=True, slots=True)
class NewProposal:
    """An employee's proposal: ``kind`` ``new`` (every field of the indicator) or
    ``target`` (``indicator_id``, the new ``target`` and a ``reason``)."""

    employee_id: int
    kind: str
    tahun: int
    target: float
    created_at: datetime
    indicator_id: int | None = None
    rhk: str | None = None
    jenis: str | None = None
    indikator: str | None = None
    aspek: str | None = None
    satuan: str | None = None
    arah: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ProposalInfo:
    """A stored proposal. For ``target`` proposals the indicator's fields are filled in
    from the indicator, and ``old_target`` is its current target."""

    id: int
    employee_id: int
    employee_nama: str
    atasan_id: int | None
    kind: str
    tahun: int
    indicator_id: int | None
    rhk: str
    jenis: str
    indikator: str
    aspek: str
    satuan: str
    arah: str
    target: float
    old_target: float | None
    reason: str | None
    counter_target: float | None
    status: str


@dataclass(frozen=True, slots=True)
class TargetChange:
    """One change of an indicator's target: from ``old`` (``None``: the indicator was added)
    to ``new``, applied by ``by_nama`` at ``at``, with the proposal's reason if any."""

    indicator_id: int
    old: float | None
    new: float
    by_nama: str
    at: datetime
    reason: str | None


class ProposalStore(Protocol):
    """Proposals of indicators and targets (/usul) and their decisions."""

    async def target_changes_of(self, employee_id: int, tahun: int) -> list[TargetChange]:
        """Every recorded target change of the employee's indicators of ``tahun``, oldest first."""
        ...

    async def create_proposal(self, proposal: NewProposal) -> int:
        """Store a pending proposal and its ``propose`` event; return its id."""
        ...

    async def proposal_by_id(self, proposal_id: int) -> ProposalInfo | None: ...

    async def act_on_proposal(
        self,
        proposal_id: int,
        actor_id: int,
        action: str,
        at: datetime,
        *,
        text: str | None = None,
        target: float | None = None,
    ) -> ProposalInfo | None:
        """One step of a proposal, recorded as an event; the proposal after it, or ``None``
        (nothing stored) when the step is not allowed now.

        The employee's *current* direct atasan (no one else, never the employee) may
        ``accept`` or ``counter`` (with ``target``) a pending proposal and ``decline`` (with
        ``text``) a pending or countered one; only the employee may ``agree`` to or
        ``disagree`` with a countered one (disagreeing makes it pending again). Accepting or
        agreeing applies it: a new indicator is inserted, or the target updated, and
        ``indicator_target_history`` gets who, when, old, new and the reason.
        """
        ...


class IntroStore(Protocol):
    async def mark_intro_shown(self, employee_id: int, at: datetime) -> bool:
        """Record that the introduction was shown; ``False`` when it had been already."""
        ...


@dataclass(frozen=True, slots=True)
class AdminCounts:
    """What an admin chat sees with /admin."""

    units: int
    points: int
    employees: int
    pending_reports: int


class AdminReader(Protocol):
    async def admin_counts(self) -> AdminCounts: ...


class EvidenceFetcher(Protocol):
    """Downloads a file a person sent, given the channel and the platform's reference."""

    async def fetch(self, channel: str, file_ref: str) -> bytes: ...


class ConversationStore(SessionStore, OrganisationReader, SurveyStore, Protocol):
    """Everything the engine and the citizen flows use (one unit of work's handle)."""


class StaffConversationStore(
    ConversationStore, StaffStore, OutboxWriter, AdminReader, ScoreStore, ProposalStore,
    IntroStore, Protocol
):
    """What the employee and supervisor flows use (the application's Store implements it)."""


# --- summaries (/ringkasan, the weekly push) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffFrames:
    """The input frames of :mod:`kinerja.summary` for some employees and one period.

    ``employees`` (employee_id, nama, service_point, plus nip, jabatan, unit_id, atasan_id),
    ``indicators`` (yearly targets of the SKP year), ``reports``, ``feedback`` and
    ``skm_responses`` (at points the employees serve): the columns are those
    ``kinerja.summary`` documents; times are aware pandas timestamps.
    """

    employees: pd.DataFrame
    indicators: pd.DataFrame
    reports: pd.DataFrame
    feedback: pd.DataFrame
    skm_responses: pd.DataFrame


@dataclass(frozen=True, slots=True)
class HeadedUnit:
    """A unit and one of its heads (an employee of the unit whose atasan is none or works in
    another unit). ``population``: people served per year, when known."""

    id: int
    code: str
    name: str
    population: int | None
    head_id: int


@dataclass(frozen=True, slots=True)
class RatingGap:
    """An employee whose self-assessment and atasan's rating are two levels apart on
    ``items`` items (indicators or BerAKHLAK values) of a triwulan. Carries no note text."""

    atasan_id: int
    employee_id: int
    nama: str
    items: int


class SummaryStore(Protocol):
    """What summaries read: kinerja.summary's input frames and who heads what."""

    async def rating_gaps(self, period: str, atasan_ids: Sequence[int] | None) -> list[RatingGap]:
        """Employees (of these atasan; ``None``: all) whose latest self-assessment of
        ``period`` and the atasan's latest explicit ratings differ by two levels."""
        ...

    async def staff_frames(
        self,
        tahun: int,
        start: datetime,
        end: datetime,
        moment: datetime,
        employee_ids: Sequence[int] | None = None,
    ) -> StaffFrames:
        """Frames for ``employee_ids`` (None = everyone): ``tahun`` indicators, reports
        created in [start, end), latest feedback up to ``moment``, citizens' responses in
        [start, end) at the points they serve."""
        ...

    async def unit_responses(
        self, start: datetime, end: datetime, unit_ids: Sequence[int] | None = None
    ) -> pd.DataFrame:
        """A ``skm_responses`` frame (plus ``unit_id``) of the units' points in [start, end)."""
        ...

    async def headed_units(self, employee_id: int | None = None) -> list[HeadedUnit]:
        """Units and heads; only the units ``employee_id`` heads when given."""
        ...

    async def subordinates(self, atasan_id: int) -> list[EmployeeInfo]:
        """Direct subordinates, by name."""
        ...

    async def employee_by_chat(self, channel: str, chat_id: str) -> EmployeeInfo | None: ...


class SummaryConversationStore(StaffConversationStore, SummaryStore, Protocol):
    """What /ringkasan uses (the application's Store implements it)."""
