"""The one registry of flows: which flows exist, which commands start them, and which
flow plays which part for the engine (home, the payload's survey, /bantuan).

Adding a flow touches the flow's module, its texts and the list the composition root
(``bot.app.compose``) hands to :class:`FlowRegistry` — nothing in the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from bot.conversation.flow import Flow, HelpProvider

S = TypeVar("S")
__all__ = ["GLOBAL_COMMANDS", "FlowRegistry", "HelpProvider"]

#: commands the engine itself answers; no flow may claim them
GLOBAL_COMMANDS = frozenset({"start", "menu", "batal", "bantuan", "help", "bahasa", "language"})


class FlowRegistry(Generic[S]):
    """Every flow of the application over a store of type ``S``.

    ``home`` names the flow that idle input and /menu open (the menu); ``payload``
    the flow that a service point's signed payload (QR code, deep link) starts with
    the payload as its argument (the survey). Raises ``ValueError`` when two flows
    share a name or a command, a command shadows a global one, or ``home`` /
    ``payload`` is not registered.
    """

    def __init__(
        self,
        flows: Iterable[Flow[S]],
        *,
        home: str,
        payload: str,
        help_provider: HelpProvider | None = None,
    ) -> None:
        self.flows: dict[str, Flow[S]] = {}
        self.commands: dict[str, Flow[S]] = {}
        for flow in flows:
            if flow.name in self.flows:
                raise ValueError(f"two flows named {flow.name!r}")
            self.flows[flow.name] = flow
            for command in flow.commands:
                if command in GLOBAL_COMMANDS or command in self.commands:
                    raise ValueError(f"command /{command} claimed twice")
                self.commands[command] = flow
        for role, name in (("home", home), ("payload", payload)):
            if name not in self.flows:
                raise ValueError(f"the {role} flow {name!r} is not registered")
        self.home = home
        self.payload = payload
        self.help_provider = help_provider

    def get(self, name: str) -> Flow[S] | None:
        return self.flows.get(name)

    def for_command(self, command: str) -> Flow[S] | None:
        return self.commands.get(command)
