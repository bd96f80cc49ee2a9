"""Importing the spreadsheets an office keeps.

:mod:`.parse` reads and validates a file; :mod:`.apply` writes it.
"""
