"""Errors shared by the command line and the workbench (a module at the
bottom of the layers, so that neither imports the other for them)."""

from __future__ import annotations


class UsageError(Exception):
    """Unusable arguments or unreadable input: exit status 2 with one line on stderr."""


class SessionFileError(Exception):
    """A session file that cannot be used; the message is one line for the user."""
