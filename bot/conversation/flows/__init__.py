"""The conversation flows: :mod:`.citizen` (menu, survey) and :mod:`.staff` (employees, atasan)."""
