"""Apply the tool's own commands to the model (state.py), one by one.

Each command either changes the state or is reported with the reason it cannot be
applied (a placeholder value, a certificate or profile the evidence does not show,
an operator step the model does not know). Nothing is accepted silently.
"""

from __future__ import annotations

import re
from datetime import timedelta

from . import issue, parse
from .issue import CannotApply, ModelCannot, _inner_who, _label, _who
from .state import Cert, Entry, Profile, Ring, State


def apply_all(st: State, commands) -> tuple[list[str], list[str]]:
    """(what each applied command did, what could not be applied and why)."""
    done: list[str] = []
    refused: list[str] = []
    for cmd in commands:
        kind = getattr(cmd, "kind", "racf")
        text = getattr(cmd, "text", str(cmd))
        if kind in ("check", "shell"):
            continue
        try:
            if kind == "racf":
                got = _racf(st, text)
            elif kind == "policy":
                got = _policy(st, text)
            elif kind == "operator":
                got = _operator(st, text)
            elif kind == "manual":
                raise ModelCannot("a manual step (not a command) the model cannot carry out")
            elif kind == "config":
                raise ModelCannot("a change to the application's configuration, which the model does "
                                  "not hold: check it on the system")
            else:
                raise ModelCannot(f"a step of a kind the model does not know ({kind})")
        except (CannotApply, parse.ParseError) as exc:
            first = parse.unwrap(text).split("\n")[-1][:90]
            refused.append(f"{first}: {exc}")
            if isinstance(exc, ModelCannot):
                st.gaps.append(refused[-1])
            continue
        if got:
            done.append(got)
    return done, refused


# -- RACF ----------------------------------------------------------------------------
def _racf(st: State, text: str) -> str:
    verb, words, ops = parse.racf(text)
    if verb == "RACDCERT":
        return _racdcert(st, ops)
    if verb == "RDEFINE":
        cls, prof = words[0].upper(), words[1]
        if (cls, prof) in st.db:
            return f"{prof} ({cls}) is already defined: RDEFINE changes nothing"
        new = Profile(cls, prof, str(ops.get("UACC") or "NONE").upper())
        if "FROM" in ops:
            model = st.db.get((cls, ops["FROM"]))
            if model is None:
                raise ModelCannot(f"FROM({ops['FROM']}) is not a profile the evidence shows")
            new.uacc, new.access = model.uacc, dict(model.access)
        st.db[(cls, prof)] = new
        _take_effect(st, cls)
        return f"defined {cls} {prof}" + (f" from {ops['FROM']}" if "FROM" in ops else "")
    if verb == "PERMIT":
        cls = str(ops.get("CLASS") or "").upper()
        prof = st.db.get((cls, words[0]))
        if prof is None:
            raise CannotApply(f"{words[0]} ({cls}) is not defined in the model: PERMIT would fail")
        user, acc = str(ops.get("ID") or "").upper(), str(ops.get("ACCESS") or "READ").upper()
        prof.access[user] = acc
        _take_effect(st, cls)
        return f"{user} has {acc} to {words[0]} ({cls})"
    if verb in ("SEARCH", "RLIST", "LISTUSER", "LISTGRP") or (verb == "SETROPTS" and "LIST" in ops):
        return ""  # they only show the state
    if verb == "SETROPTS":
        return _setropts(st, ops)
    if verb == "RALTER" and words[0].upper() == "STARTED":
        std = ops.get("STDATA")
        user = std.get("USER") if isinstance(std, dict) else None
        if not user:
            raise CannotApply("RALTER STARTED without STDATA(USER(...))")
        if words[1] not in st.started_db:
            raise ModelCannot(f"STARTED profile {words[1]} is not in the evidence (RLIST STARTED)")
        st.started_db[words[1]] = user.upper()
        _take_effect(st, "STARTED")
        return f"STARTED {words[1]} runs as {user.upper()} after a refresh and restart"
    if verb == "RLIST":
        return ""
    raise ModelCannot(f"{verb} is not a command the model knows")


def _take_effect(st: State, cls: str) -> None:
    """A profile change is what RACF checks at once unless the class is RACLISTed."""
    if cls not in st.raclisted:
        _refresh(st, cls)


def _refresh(st: State, cls: str) -> None:
    import copy

    if cls == "STARTED":
        st.started = dict(st.started_db)
        return
    if cls == "DIGTNMAP":  # read per handshake (SAFCheck): no environment to rebuild
        st.maps = list(st.maps_db)
        return
    for k in [k for k in st.live if k[0] == cls]:
        del st.live[k]
    for k, v in st.db.items():
        if k[0] == cls:
            st.live[k] = copy.deepcopy(v)
    st.changed()


def _words(v) -> list[str]:
    if isinstance(v, dict):
        return [k.upper() for k in v if k]
    return str(v or "").upper().split()


def _setropts(st: State, ops: dict) -> str:
    classes = _words(ops.get("RACLIST"))
    if "CLASSACT" in ops:
        act = _words(ops["CLASSACT"])
        st.active |= set(act)
        st.raclisted |= set(classes)
        for c in classes:
            _refresh(st, c)
        return f"{' '.join(act)} active and RACLISTed"
    if "REFRESH" in ops:
        done = [c for c in classes if c in st.raclisted]
        for c in done:
            _refresh(st, c)
        rest = [c for c in classes if c not in st.raclisted]
        return "; ".join(([f"{' '.join(done)} refreshed"] if done else [])
                         + ([f"{' '.join(rest)} not RACLISTed: the refresh is not needed"] if rest else []))
    raise ModelCannot("SETROPTS form the model does not know")


def _relabel(st: State, who: str, label: str, new: str) -> str:
    """RACDCERT ALTER ... NEWLABEL: the certificate keeps its place on every ring."""
    if (who, new) in st.certs:
        raise CannotApply(f"label {new!r} is already used by {who}")
    st.certs[(who, new)] = c = st.certs.pop((who, label))
    c.label = new
    for ring in st.rings.values():
        for e in ring.entries:
            if e.owner == who and e.label == label:
                e.label = new
    st.changed()
    return f"{label!r} ({who}) is now labelled {new!r}"


def _racdcert(st: State, ops: dict) -> str:
    who = _who(ops)
    if "CONNECT" in ops:
        inner = ops["CONNECT"]
        cown, label = _inner_who(inner), _label(inner)
        ring = st.rings.get((who, inner.get("RING")))
        if ring is None:
            raise CannotApply(f"ring {who}/{inner.get('RING')} does not exist in the model")
        if (cown, label) not in st.certs:
            raise ModelCannot(f"certificate {label!r} of {cown} is not in the model (RACDCERT LIST)")
        usage = str(inner.get("USAGE") or ("CERTAUTH" if cown == "CERTAUTH" else "PERSONAL")).upper()
        e = next((e for e in ring.entries if e.owner == cown and e.label == label), None)
        if e is None:
            e = Entry(cown, label, usage)
            ring.entries.append(e)
        e.usage = usage
        if "DEFAULT" in inner:
            for x in ring.entries:
                x.default = x is e
        st.changed()
        return f"ring {who}/{ring.name} has {label!r} as {usage}{' DEFAULT' if e.default else ''}"
    if "REMOVE" in ops:
        inner = ops["REMOVE"]
        cown, label = _inner_who(inner), _label(inner)
        ring = st.rings.get((who, inner.get("RING")))
        if ring is None or not any(e.owner == cown and e.label == label for e in ring.entries):
            raise CannotApply(f"{label!r} is not on ring {who}/{inner.get('RING')}")
        ring.entries = [e for e in ring.entries if not (e.owner == cown and e.label == label)]
        st.changed()
        return f"{label!r} removed from {who}/{ring.name}"
    if "ALTER" in ops:
        label = _label(ops["ALTER"])
        c = issue.held_cert(st, who, label)
        if "NEWLABEL" in ops:
            return _relabel(st, who, label, _label(ops, "NEWLABEL"))
        c.status = "NOTRUST" if "NOTRUST" in ops else "HIGHTRUST" if "HIGHTRUST" in ops else "TRUST"
        st.changed()
        return f"{label!r} ({who}) is {c.status}"
    if "ADDRING" in ops:
        name = ops["ADDRING"]
        if (who, name) in st.rings:
            return f"ring {who}/{name} exists already"
        st.rings[(who, name)] = Ring(who, name)
        st.changed()
        return f"ring {who}/{name} created (empty)"
    if "GENREQ" in ops:
        label = _label(ops["GENREQ"])
        c = issue.held_cert(st, who, label)
        if c.private_key is False:
            raise CannotApply(f"{label!r} has no private key: GENREQ needs one")
        st.requests[ops.get("DSN")] = (who, label)
        return f"request for {label!r} written to {ops.get('DSN')}"
    if "GENCERT" in ops:
        return issue.gencert(st, who, ops)
    if "REKEY" in ops:
        return issue.rekey(st, who, ops)
    if "EXPORT" in ops:
        return issue.export(st, who, ops)
    if "ADD" in ops:
        return issue.add(st, who, ops)
    if "MAP" in ops:
        from .clientauth import apply_map

        try:
            return apply_map(st, who, ops)
        except ValueError as exc:
            raise CannotApply(str(exc)) from None
    if any(k in ops for k in ("LIST", "LISTRING", "LISTCHAIN")):
        return ""
    raise ModelCannot("RACDCERT function the model does not know")


# -- policy and operator ------------------------------------------------------------------
def _policy(st: State, text: str) -> str:
    kind, name, params = parse.policy_all(text)
    unknown = [p for p in params if p not in _POLICY_PARAMS]
    if unknown:
        raise ModelCannot(f"the model does not know the policy parameter {unknown[0]}")
    st.pending.setdefault((kind, name), {}).update(params)
    return ""  # reported when F PAGENT,UPDATE installs it


_POLICY_PARAMS = {"Keyring", "EnvironmentUserInstance", "V3CipherSuites", "HandshakeRole",
                  "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "SSLv3"}


def _install(v, kind: str, name: str, params: dict) -> bool:
    """Put an installed statement's parameters into the view of a connection that uses
    it (the environment action, its connection action, or a named parms statement)."""
    hit = False
    if name in (v.env, v.keyring_stmt) or (v.keyring_stmt or "").startswith(name + "/"):
        hit = True
        if "Keyring" in params:
            kr = params["Keyring"]
            v.ring = kr.upper().split("/")[0] + "/" + kr.split("/", 1)[1] if "/" in kr else \
                (f"{v.user}/{kr}" if v.user else None)
    on_env = name == v.env or (v.cipher_stmt or "") in (name, f"{name}/TTLSCipherParms")
    if on_env or name == v.cipher_stmt:
        hit = True
        if "V3CipherSuites" in params:
            v.ciphers = tuple(params["V3CipherSuites"].split())
        for p in ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "SSLv3"):
            if p in params:
                v.protocols[p] = params[p]
    if "HandshakeRole" in params:
        if kind == "TTLSEnvironmentAction" and name == v.env:
            v.env_role, hit = params["HandshakeRole"], True
        elif kind == "TTLSConnectionAction" and name == v.conn_action:
            v.conn_role, hit = params["HandshakeRole"], True
    elif kind == "TTLSConnectionAction" and name == v.conn_action:
        hit = True
    return hit


_SEND = re.compile(r"^Send (\S+) to the CA .* in (\S+)$")
_STOP = re.compile(r"P ([A-Z0-9@#$]{1,8})", re.I)
_START = re.compile(r"S ([A-Z0-9@#$]{1,8})(?:\.[A-Z0-9@#$]{1,8})?(?:,JOBNAME=([A-Z0-9@#$]{1,8}))?", re.I)
_CICS = re.compile(r"F ([A-Z0-9@#$]{1,8}),CEMT PERFORM SSL(?: REBUILD)?", re.I)
_MQ = re.compile(r"[-+%!?.#@$&*=<>]?([A-Z0-9@#$]{1,4}) REFRESH SECURITY TYPE\(SSL\)", re.I)
"""Operator commands that make one job build its TLS environment anew: stop and start
(MVS P / S), CICS PERFORM SSL REBUILD, MQ REFRESH SECURITY TYPE(SSL) (docs/fixes.md)."""


def _views_of(st: State, jobs: list[str]) -> list:
    want = {j.upper() for j in jobs}
    return [v for v in st.views.values() if (v.job or "").upper() in want]


def _restart(st: State, jobs: list[str], how: str = "restarted") -> str:
    """The jobs build their environments anew (reading the ring and, for a started task,
    the user its STARTED profile gives now)."""
    hit = _views_of(st, jobs)
    if not hit:
        raise ModelCannot(f"no connection of {', '.join(jobs)} in the model")
    from tlsworkbench.diagnose.evidence import _started_matches

    for v in hit:
        job = (v.job or "").upper()
        prof = [p for p in st.started if _started_matches(p, job)]
        if prof:
            v.user = st.started[max(prof, key=len)]
        st.built[v.env or v.job] = st.version
    return f"{', '.join(jobs)} {how}: its environment is built anew"


def _operator(st: State, text: str) -> str:
    t = text.strip()
    if re.fullmatch(r"F \w+,UPDATE", t):
        if not st.pending:
            return "F PAGENT,UPDATE: the policy did not change, so AT-TLS keeps its environments"
        said = []
        for (kind, name), params in st.pending.items():
            said.append(f"{kind} {name} " + ", ".join(f"{k} {v}" for k, v in params.items()))
            st.policy.setdefault((kind, name), {}).update(params)
            used = [v for v in st.views.values() if _install(v, kind, name, params)]
            if not used:
                st.notes.append(f"no connection in the model uses {kind} {name}")
            for v in used:
                st.built[v.env or v.job] = st.version
        st.pending.clear()
        return "Policy Agent installed " + "; ".join(said) + ", so new connections get a new environment"
    m = re.fullmatch(r"Restart (\S+)", t)  # older wording, still understood
    if m:
        return _restart(st, [m.group(1).upper()])
    m = _STOP.fullmatch(t)
    if m:
        job = m.group(1).upper()
        if not _views_of(st, [job]):
            raise ModelCannot(f"no connection of {job} in the model")
        st.stopped.add(job)
        return f"{job} stopped: its connections end"
    m = _START.fullmatch(t)
    if m:
        proc, named = m.group(1).upper(), (m.group(2) or "").upper()
        jobs = [named] if named else ([j for j in st.stopped if j == proc or j.startswith(proc)]
                                      or [proc])
        st.stopped -= set(jobs)
        return _restart(st, jobs, how="started again")
    m = _CICS.fullmatch(t)
    if m:
        return _restart(st, [m.group(1).upper()], how="rebuilt its SSL environment (PERFORM SSL REBUILD)")
    m = _MQ.fullmatch(t)
    if m:
        qmgr = m.group(1).upper()
        jobs = sorted({(v.job or "").upper() for v in st.views.values()
                       if (v.job or "").upper().startswith(qmgr)})
        if not jobs:
            raise ModelCannot(f"no connection of queue manager {qmgr} in the model")
        return _restart(st, jobs, how="read its key ring again (REFRESH SECURITY TYPE(SSL))")
    m = re.fullmatch(r"FTP (\S{1,255})", t)
    if m:
        name = m.group(1)
        hit = [v for v in st.views.values() if v.want_host]
        if not hit:
            raise CannotApply("no client in the model checks the server's host name")
        for v in hit:
            v.want_host = name
        st.notes.append(f"assumed {name} resolves to the server's address (the model does not see DNS)")
        return f"the client connects as {name} and checks that name"
    m = _SEND.match(t)
    if m:
        src = st.requests.get(m.group(1))
        if src is None:
            raise CannotApply(f"no request in {m.group(1)}")
        c = st.certs[src]
        issuer = next((x.subject for x in st.certs.values() if x.owner == "CERTAUTH" and x.subject
                       and x.subject == c.issuer), c.issuer)
        st.dataset_src[m.group(2)] = src
        st.datasets[m.group(2)] = Cert(c.owner, c.label, c.subject, issuer, st.today,
                                       st.today + timedelta(days=365), "TRUST", True, list(c.san))
        return f"the CA signed the request in {m.group(1)} (assumed: one year from today)"
    raise ModelCannot("an operator step the model cannot carry out")
