"""``kinerja …``: the administrator's commands, and what they do (imports, demo, links, reports)."""
