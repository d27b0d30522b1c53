"""The session model: plain dataclasses, no UI."""

from .artifact import Artifact
from .connection import Command, Connection, Endpoint, Finding
from .entities import CertInfo, JobInfo, KeyRing, PolicyStatement, RingEntry, StartedProfile
from .records import ERROR, INFO, WARNING, Record, Unparsed, record_id, split_record_id
from .session import Session

__all__ = [
    "Artifact", "CertInfo", "Command", "Connection", "Endpoint", "ERROR", "Finding", "INFO",
    "JobInfo", "KeyRing", "PolicyStatement", "Record", "RingEntry", "Session", "StartedProfile",
    "Unparsed", "WARNING", "record_id", "split_record_id",
]
