"""What the conversation layer needs from storage, as small Protocols — one module per use
case. Storage (``bot.storage``) implements them; the engine and flows depend only on them,
so conversation code never imports storage or SQL. The records are plain frozen dataclasses.

A flow names the ports it uses as its type parameter (``Flow[SurveyPorts]``).
"""
