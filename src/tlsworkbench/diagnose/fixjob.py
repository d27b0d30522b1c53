"""The one batch job builder: the fix's RACF (and TSO) commands as a batch TSO
step (IKJEFT01, SYSTSPRT, SYSTSIN), as in the seed's Error #5 page. The
workbench saves it as a JCL member (``job_text``); ``fixes.batch_job`` gives it
as a model ``Command``.

Operator commands (``F PAGENT,UPDATE``) are never put in the job as JCL
``// COMMAND`` statements: JES issues those when it converts the job, before
any step runs, so the Policy Agent would refresh before RACF has changed
anything. IBM's advice (z/OS MVS JCL Reference, "COMMAND statement": an
in-stream command is not synchronized with the job's steps; tell the operator
which commands to enter and when) is followed: the job ends with a note naming
the commands to issue from a console once it has ended with return code 0.
Policy edits and shell commands are listed as comments, also after the step.
"""

from __future__ import annotations

import re

from tlsworkbench.model import Command

JOBNAME = "TLSWBFIX"
WIDTH = 72
"""Columns of a JCL record that hold the statement (73-80: sequence numbers)."""
_NOT_JOBNAME = re.compile(r"[^A-Z0-9@#$]")


def job_text(commands: list[Command], title: str = "", jobname: str = JOBNAME) -> str:
    """The batch job for ``commands``: RACF and TSO commands in one IKJEFT01
    step; operator commands, policy edits and shell commands as comments after
    it, to be done once the job has ended with return code 0."""
    return "\n".join(_lines(commands, title, jobname)) + "\n"


def _lines(commands: list[Command], title: str, jobname: str) -> list[str]:
    job = (_NOT_JOBNAME.sub("", jobname.upper()) or JOBNAME)[:8]
    out = [f"//{job:<8} JOB (ACCT),'TLS FIX',MSGCLASS=X,NOTIFY=&SYSUID",
           f"//{'TSO':<8} EXEC PGM=IKJEFT01,DYNAMNBR=30,REGION=4096K"]
    out += [f"//* {part}" for part in _chunks(title, 64)]
    out += ["//SYSTSPRT DD SYSOUT=*", "//SYSTSIN  DD *"]
    step: list[str] = []
    operator, other = [], []
    for c in commands:
        if c.kind in ("racf", "tso"):
            step.extend(c.text.split("\n"))  # fixes.py keeps each line within column 71
        elif c.kind == "operator":
            operator.append(c.text)
        else:
            other.append(c)
    out = [ln[:WIDTH] for ln in out] + step + ["/*"]
    tail: list[str] = []
    if operator:
        tail.append("//* When this job has ended with return code 0 (not before),")
        tail.append("//* issue from an operator console:")
        tail += [f"//*   {ln}" for c in operator for ln in c.split("\n")]
    for c in other:
        tail.append(f"//* {c.kind} (not run by this job; do it after the job):")
        tail += [f"//*   {ln}" for ln in c.text.split("\n")]
    return out + [ln[:WIDTH] for ln in tail]


def batch_job(commands: list[Command], jobname: str = "TLSFIX", comment: str = "") -> Command:
    """The RACF commands of ``commands`` as one batch TSO job (IKJEFT01)."""
    racf = [c for c in commands if c.kind == "racf"]
    text = "\n".join(_lines(racf, comment, jobname or "TLSFIX"))
    return Command(text=text, kind="jcl",
                   purpose="The RACF commands above as one batch TSO job (IKJEFT01).",
                   disruptive=any(c.disruptive for c in racf))


def _chunks(text: str, n: int) -> list[str]:
    words, out, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > n:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        out.append(cur)
    return out
