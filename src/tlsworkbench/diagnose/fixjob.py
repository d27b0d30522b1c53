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


TSO_KINDS = ("racf", "tso")
"""Commands a TSO READY prompt (or the job's IKJEFT01 step) runs."""
WHERE = {
    "operator": "operator commands: enter them at an MVS console (SDSF /), not in TSO",
    "policy": "policy edit: change the AT-TLS policy file (not a command)",
    "config": "configuration edit: change the named file or member (not a command)",
    "shell": "z/OS UNIX shell commands: run them in a shell (OMVS, ssh), not in TSO",
    "jcl": "JCL: submit it as a job",
    "check": "a check to make by hand",
    "manual": "a step to do by hand",
}
"""Where each kind of step goes, said above it in every copy and saved text."""


def tso_commands(commands: list[Command]) -> list[Command]:
    return [c for c in commands if c.kind in TSO_KINDS]


def tso_text(commands: list[Command]) -> str:
    """Only the TSO (RACF) commands, in their order: ready to paste at READY."""
    return "\n".join(c.text for c in tso_commands(commands))


def labelled_policy(text: str) -> str:
    """A policy edit with its "before" and "after" labels: the comment head
    (what the file says now, e.g. ``Keyring was X`` or ``... not coded``)
    becomes ``# before: ...``, and ``# after: the statement reads`` goes above
    the new statement."""
    lines = text.split("\n")
    k = 0
    while k < len(lines) and lines[k].startswith("#"):
        k += 1
    head = " ".join(ln.lstrip("#").strip() for ln in lines[:k]).replace(
        " not coded before", " not coded")
    out = ["# " + ln for ln in _chunks(f"before: {head or '(see the policy file)'}", 58)]
    return "\n".join(out + ["# after: the statement reads"] + lines[k:])


def step_text(c: Command) -> str:
    return labelled_policy(c.text) if c.kind == "policy" else c.text


def _where(kind: str) -> str:
    return "TSO commands: paste them at the TSO READY prompt" if kind in TSO_KINDS \
        else WHERE.get(kind, kind)


def _fenced(commands: list[Command], keep) -> str:
    """The steps ``keep`` accepts, in the fix's order; each run of steps that
    go to the same place under one fenced label saying where."""
    out: list[str] = []
    last = None
    for c in commands:
        if not keep(c):
            last = None
            continue
        where = _where(c.kind)
        if where != last or c.kind == "policy":
            out.append(f"# ---- {where} ----")
        last = where
        out.append(step_text(c))
    return "\n".join(out)


def other_text(commands: list[Command]) -> str:
    """The steps that are not TSO commands (operator commands, policy and
    configuration edits, shell and client steps), in the fix's order, each
    under a fenced label that says where it goes."""
    return _fenced(commands, lambda c: c.kind not in TSO_KINDS)


def full_text(commands: list[Command]) -> str:
    """Every step in the fix's order under fenced labels (the text file ``t`` saves)."""
    return _fenced(commands, lambda c: True)


def _lines(commands: list[Command], title: str, jobname: str) -> list[str]:
    job = (_NOT_JOBNAME.sub("", jobname.upper()) or JOBNAME)[:8]
    out = [f"//{job:<8} JOB (ACCT),'TLS FIX',MSGCLASS=X,NOTIFY=&SYSUID",
           f"//{'TSO':<8} EXEC PGM=IKJEFT01,DYNAMNBR=30,REGION=4096K"]
    out += [f"//* {part}" for part in _chunks(title, 64)]
    out += ["//SYSTSPRT DD SYSOUT=*", "//SYSTSIN  DD *"]
    step: list[str] = []
    after: list[Command] = []
    for c in commands:
        if c.kind in TSO_KINDS:
            step.extend(c.text.split("\n"))  # fixes.py keeps each line within column 71
        else:
            after.append(c)
    out = [ln[:WIDTH] for ln in out] + step + ["/*"]
    tail: list[str] = []
    if after:
        # the steps the job cannot run, in the fix's order (a policy edit before
        # the F PAGENT,UPDATE that installs it)
        tail.append("//* When this job has ended with return code 0 (not before),")
        tail.append("//* do these steps in this order (this job does not run them):")
        for n, c in enumerate(after, 1):
            tail += [f"//* {part}" for part in _chunks(f"{n}. {WHERE.get(c.kind, c.kind)}", 66)]
            tail += [f"//*   {ln}" for ln in step_text(c).split("\n")]
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
