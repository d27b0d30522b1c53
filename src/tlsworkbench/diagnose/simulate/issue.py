"""RACDCERT functions that make a certificate, on the model: GENCERT (new, or from a
request data set, signed by SIGNWITH or self-signed), REKEY (a self-signed copy with a
new key pair) and ADD (a certificate from a data set; it replaces one under the same
label only while that one has not expired, and pairs with the key of the request it
answers). See docs/fixes.md, "Renewal and re-issue"."""

from __future__ import annotations

from datetime import date, timedelta

from tlsworkbench.diagnose.fixes import is_placeholder

from .state import Cert, State


class CannotApply(Exception):
    """The command would fail or change nothing as written (RACF would reject it)."""


class ModelCannot(CannotApply):
    """The model lacks what it needs to carry the command out (a placeholder, something
    the evidence does not show, an operator step it does not know): the command may
    well work, so a proof that needs it is "not proven", never "does not clear"."""


def _who(ops: dict) -> str:
    if "CERTAUTH" in ops:
        return "CERTAUTH"
    if "SITE" in ops:
        return "SITE"
    if isinstance(ops.get("ID"), str):
        return ops["ID"].upper()
    raise CannotApply("no certificate owner (ID(), CERTAUTH or SITE)")


def _inner_who(inner: dict) -> str:
    return _who(inner)


def _label(inner, key="LABEL") -> str:
    v = inner.get(key) if isinstance(inner, dict) else None
    if not isinstance(v, str) or not v:
        raise CannotApply(f"no {key}")
    if is_placeholder(v):
        raise ModelCannot(f"{key}({v!r}) is a placeholder the evidence could not fill")
    return v


def gencert(st: State, who: str, ops: dict) -> str:
    signer = None
    if "SIGNWITH" in ops:
        sw = ops["SIGNWITH"]
        sown, slabel = _inner_who(sw), _label(sw)
        signer = st.certs.get((sown, slabel))
        if signer is None and any(e.owner == sown and e.label == slabel
                                  for r in st.rings.values() for e in r.entries):
            # on a ring, but its RACDCERT LIST is not in the session: keep the issuer name
            st.notes.append(f"assumed {slabel!r} ({sown}) holds its private key: it is on a ring, "
                            "but its RACDCERT LIST is not in the session")
            signer = Cert(sown, slabel, None, None)
        if signer is None:
            raise ModelCannot(f"signing certificate {slabel!r} ({sown}) is not in the model")
        if signer.private_key is False:
            raise CannotApply(f"{slabel!r} has no private key in RACF: it cannot sign")
        if signer.not_after and signer.not_after < st.today:
            raise CannotApply(f"signing certificate {slabel!r} is expired")
    label = _label(ops, "WITHLABEL")
    end = None
    na = ops.get("NOTAFTER")
    if isinstance(na, dict) and na.get("DATE"):
        end = date.fromisoformat(str(na["DATE"]).replace("/", "-"))
        if end <= st.today:
            raise CannotApply(f"NOTAFTER {end} is not after today ({st.today})")
    end = end or st.today + timedelta(days=365)
    dsn = ops.get("GENCERT") if isinstance(ops.get("GENCERT"), str) else None
    if dsn:
        src = st.requests.get(dsn)
        if src is None:
            raise CannotApply(f"no request in {dsn} (GENREQ first)")
        if src != (who, label):
            raise CannotApply(f"the request in {dsn} is for {src[1]!r} of {src[0]}, not {label!r} of {who}")
        c = st.certs[src]
    else:
        if (who, label) in st.certs:
            raise CannotApply(f"label {label!r} is already used by {who}")
        sub = ops.get("SUBJECTSDN") if isinstance(ops.get("SUBJECTSDN"), dict) else {}
        subject = ",".join(f"{k}={v}" for k, v in sub.items())
        c = st.certs[(who, label)] = Cert(who, label, subject, None, private_key=True)
        alt = ops.get("ALTNAME") if isinstance(ops.get("ALTNAME"), dict) else {}
        c.san = [f"{'DNS' if k == 'DOMAIN' else k}:{v}" for k, v in alt.items()]
    if signer is None:
        c.issuer = c.subject
    elif signer.subject:
        c.issuer = signer.subject
    c.not_before, c.not_after, c.status = st.today, end, "TRUST"
    st.changed()
    by = f"signed by {signer.label!r}" if signer is not None else "self-signed"
    # without NOTBEFORE, RACDCERT GENCERT starts the certificate when the command runs
    # (RACF CLR, RACDCERT GENCERT): the model takes that day as its own "today"
    return (f"{label!r} ({who}) issued, {by}, valid from the day the command runs "
            f"(taken as {st.today} here) to {end}")


def export(st: State, who: str, ops: dict) -> str:
    """RACDCERT EXPORT of a certificate without its key (FORMAT CERTDER/CERTB64): the data
    set holds a copy that an ADD on another system can define (no private key)."""
    label, dsn = _label(ops["EXPORT"]), ops.get("DSN")
    fmt = str(ops.get("FORMAT") or "CERTB64").upper()
    if not isinstance(dsn, str) or not dsn:
        raise CannotApply("EXPORT without DSN")
    if fmt not in ("CERTDER", "CERTB64"):
        raise CannotApply(f"FORMAT({fmt}): the model exports certificates only, without a key")
    c = held_cert(st, who, label)
    st.datasets[dsn] = Cert(c.owner, c.label, c.subject, c.issuer, c.not_before, c.not_after, c.status,
                            False, list(c.san), None)
    return f"{label!r} ({who}) exported to {dsn} (no private key)"


def held_cert(st: State, who: str, label: str) -> Cert:
    """The certificate ``label`` of ``who`` in the model, or ModelCannot (the evidence
    does not show it, so the model cannot say what a command does to it)."""
    c = st.certs.get((who, label))
    if c is None:
        raise ModelCannot(f"certificate {label!r} of {who} is not in the model")
    return c


def rekey(st: State, who: str, ops: dict) -> str:
    old_label, label = _label(ops["REKEY"]), _label(ops, "WITHLABEL")
    old = held_cert(st, who, old_label)
    if old.private_key is False:
        raise CannotApply(f"{old_label!r} has no private key: REKEY needs one (IRRD128I)")
    if (who, label) in st.certs:
        raise CannotApply(f"label {label!r} is already used by {who}")
    st.certs[(who, label)] = Cert(who, label, old.subject, old.subject, st.today, st.today + timedelta(days=365),
                                  "TRUST", True, list(old.san), old.system)
    st.changed()
    return f"{label!r} ({who}): {old_label!r} re-keyed, self-signed, until the CA's copy replaces it"


def add(st: State, who: str, ops: dict) -> str:
    dsn, label = ops.get("ADD"), _label(ops, "WITHLABEL")
    src = st.dataset_src.get(dsn)
    if src is not None and src != (who, label):
        raise CannotApply(f"{dsn} answers the request for {src[1]!r} of {src[0]}: RACF pairs it with "
                          f"that certificate's key, not with {label!r}")
    existing = st.certs.get((who, label))
    if existing is not None and existing.not_after and existing.not_after < st.today:
        raise CannotApply(f"{label!r} of {who} has expired: ADD does not replace an expired certificate "
                          "(re-key it first, RACDCERT REKEY)")
    got = st.datasets.get(dsn)
    if got is None and who == "CERTAUTH":
        # a CA exported from another system: the session may hold it (that system's LIST)
        got = next((c for c in st.cert_pool if c.owner == "CERTAUTH" and c.label == label), None)
    if got is None:
        raise ModelCannot(f"the model does not know what {dsn} holds")
    old = st.certs.get((who, label))
    if (old is not None and old.system and old.subject == got.subject and old.issuer == got.issuer
            and old.not_after == got.not_after):
        # the very certificate RACF already holds there: this ADD runs on another system
        st.extra_certs.append(Cert(who, label, got.subject, got.issuer, got.not_before, got.not_after,
                                   "TRUST", False, list(got.san), None))
        return (f"{label!r} ({who}) added from {dsn} on the system the command runs on (RACF on "
                f"{old.system} holds it already)")
    new = Cert(who, label, got.subject, got.issuer, got.not_before, got.not_after,
               "NOTRUST" if "NOTRUST" in ops else "TRUST",
               old.private_key if old is not None else (None if who == "CERTAUTH" else False), list(got.san))
    st.certs[(who, label)] = new
    st.changed()
    return f"{label!r} ({who}) added from {dsn}, {new.status}"
