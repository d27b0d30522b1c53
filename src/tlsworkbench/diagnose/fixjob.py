"""The batch TSO job (IKJEFT01, SYSTSPRT, SYSTSIN) that runs RACF fix commands,
as in the seed's Error #5 page (re-exported by fixes)."""

from __future__ import annotations

from tlsworkbench.model import Command


def batch_job(commands: list[Command], jobname: str = "TLSFIX", comment: str = "") -> Command:
    """The RACF commands of ``commands`` as a batch TSO job (IKJEFT01)."""
    job = (jobname.upper()[:8] or "TLSFIX")
    lines = [f"//{job:<8} JOB MSGCLASS=X,NOTIFY=&SYSUID",
             f"//{'TSO':<8} EXEC PGM=IKJEFT01,DYNAMNBR=30,REGION=4096K",
             "//*" + "*" * 66]
    if comment:
        for part in _chunks(comment, 64):
            lines.append(f"//* {part}")
        lines.append("//*" + "*" * 66)
    lines += ["//SYSTSPRT DD SYSOUT=*", "//SYSTSIN  DD *"]
    for c in commands:
        if c.kind == "racf":
            lines.extend(c.text.split("\n"))
    lines.append("/*")
    return Command(text="\n".join(lines), kind="jcl",
                   purpose="The RACF commands above as one batch TSO job (IKJEFT01).",
                   disruptive=any(c.disruptive for c in commands if c.kind == "racf"))


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


