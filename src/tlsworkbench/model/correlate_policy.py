"""Role and key ring of an AT-TLS rule, for correlation.

Asks model/policy.py (``effective``) once per (rule, system); while that module
is missing, or fails, follows rule -> actions -> TTLSKeyringParms directly.
"""

from __future__ import annotations


class PolicyCache:
    """Role and key ring of a rule from model/policy.py, asked once per (rule, system)."""

    def __init__(self, session):
        self.session = session
        self.cache: dict[tuple, tuple] = {}
        self.effective = None
        if session.policy:
            try:
                from tlsworkbench.model.policy import effective
            except ImportError:
                effective = None
            self.effective = effective

    def lookup(self, rule: str, system: str | None) -> tuple[str | None, str | None]:
        key = (rule, system)
        got = self.cache.get(key)
        if got is None:
            got = self.cache[key] = self._ask(rule, system)
        return got

    def _ask(self, rule, system):
        if self.effective is None:
            return self._fallback(rule, system) if self.session.policy else (None, None)
        try:
            eff = self.effective(self.session, rule, system)
        except Exception:
            return self._fallback(rule, system)
        if eff is None:
            return None, None
        hr = (getattr(eff, "handshake_role", None) or "").lower()
        role = "server" if hr.startswith("server") else "client" if hr.startswith("client") else None
        owner, name = getattr(eff, "keyring_owner", None), getattr(eff, "keyring_name", None)
        keyring = f"{owner}/{name}" if owner and name else getattr(eff, "keyring", None)
        return role, keyring


    def _fallback(self, rule, system):
        """Rule -> connection/environment action -> key ring parms, read directly
        (used while model/policy.py is not available)."""
        by_name = getattr(self, "_by_name", None)
        if by_name is None:
            by_name = self._by_name = {}
            for st in self.session.policy:
                by_name.setdefault(st.name, []).append(st)

        def one(name, kind):
            for st in by_name.get(name or "", ()):
                if st.kind.lower() == kind and (not system or not st.system or st.system == system):
                    return st
            return None

        r = one(rule, "ttlsrule")
        if r is None:
            return None, None
        env = one(r.get("TTLSEnvironmentActionRef"), "ttlsenvironmentaction")
        ca = one(r.get("TTLSConnectionActionRef"), "ttlsconnectionaction")
        hr = ((ca.get("HandshakeRole") if ca else None) or (env.get("HandshakeRole") if env else None)
              or "").lower()
        role = "server" if hr.startswith("server") else "client" if hr.startswith("client") else None
        keyring = None
        if env is not None:
            kp = one(env.get("TTLSKeyringParmsRef"), "ttlskeyringparms")
            keyring = (kp.get("Keyring") if kp else None) or env.get("Keyring")
        return role, keyring if isinstance(keyring, str) else None
