"""Redaction: share a diagnosis without the real names.

``export_redacted(session_or_paths, out_path, map_path)`` writes a ``.tlswb``
session in which addresses, host names, user ids, job names, rings, labels, DN
values and serials are replaced by consistent stand-ins, checks the output for
any original value (:class:`LeakError` when one is left), and writes the map of
stand-ins to real values to a separate file. ``redact(session)`` does the same
in memory (the report uses it).
"""

from .export import (ExportResult, LeakError, RedactError, Redaction, default_map_path,
                     export_redacted, read_map, redact)

__all__ = ["ExportResult", "LeakError", "RedactError", "Redaction", "default_map_path",
           "export_redacted", "read_map", "redact"]
