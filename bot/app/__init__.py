"""The composition root: the only package (with ``bot.admin``) that knows every piece.

:mod:`.compose` opens storage and builds the engine with its flows; :mod:`.run` runs the
configured channels, the web server and the jobs (``kinerja run``); :mod:`.adapters` shows
storage to the channels through the small Protocols they define.
"""
