"""/dasbor: a single-use link (10 minutes) to the web dashboard for a linked employee.

The link logs the employee in as themselves; a chat listed in ``admin_chat_ids`` also gets
the administrator's pages (the same check as /admin). Off (a short answer) when the site's
public URL is not configured. At most five links per employee per hour.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.conversation.flow import Command, Context, Finish, Outcome
from bot.conversation.flows.staff.admin import is_admin_chat
from bot.conversation.flows.staff.common import current_employee
from bot.conversation.ports.people import People
from bot.conversation.ports.weblogin import WebLogins
from bot.conversation.weblogin import LINK_MINUTES, make_login_link, too_many_links


class DashboardPorts(People, WebLogins, Protocol):
    """Who is behind the chat, and the login links."""


class DashboardFlow(Command[DashboardPorts]):
    """/dasbor: the login link (``base_url``: the site's public origin, ``None``: off)."""

    name = "dashboard"
    title_key = "flow.dashboard"
    commands = ("dasbor", "dashboard")

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = base_url

    async def run(self, ctx: Context[DashboardPorts], arg: Any) -> Outcome:
        if not self.base_url:
            return Finish((ctx.t("dashboard_off"),))
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("dashboard_not_linked"),))
        if await too_many_links(ctx.store, me.id, ctx.now):
            return Finish((ctx.t("dashboard_too_many"),))
        url = await make_login_link(ctx.store, self.base_url, employee_id=me.id,
                                    is_admin=is_admin_chat(ctx), now=ctx.now)
        return Finish((ctx.t("dashboard_link", minutes=LINK_MINUTES, url=url),))
