"""Build sample_sessions/*.tlswb and sample_sessions/README.md from the scenarios
in tests/data/scenarios/ (``python tools/build_samples.py``).

Each sample embeds the artifacts of one scenario (both systems), read under their
plain file names so no local path ends up in the file. ``mixed.tlswb`` is the
session the workbench opens when it is started with no arguments.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCEN = ROOT / "tests" / "data" / "scenarios"
OUT = ROOT / "sample_sessions"

# file stem -> (scenario folder, what it shows, the cause diagnose must name first)
SAMPLES: dict[str, tuple[str, str, str]] = {
    "mixed": ("mixed", "One day on MVS1/MVS3: a healthy FTP session, a TN3270 ring name typed with "
              "the wrong case, a batch job refused its ring (RDATALIB), an expired certificate",
              "keyring-not-authorized, certificate-expired, keyring-not-found"),
    "error1-keyring-not-found": ("error1-keyring-not-found", "Seed Error #1: policy Keyring FTPP/Server_RING, "
                                 "the ring is FTPD's (RC 202, 5006; client 406)", "keyring-not-found"),
    "error2-not-authorized": ("error2-not-authorized", "Seed Error #2: ICH408I for IRR.DIGTCERT.LISTRING, "
                              "client RC 202", "keyring-not-authorized"),
    "error3-cert-not-on-ring": ("error3-cert-not-on-ring", "Seed Error #3: ring without the server "
                                "certificate (RC 6 / 438)", "certificate-not-on-ring"),
    "error4-wrong-owner": ("error4-wrong-owner", "Seed Error #4: certificate owned by FTPD, FTPT1 runs as "
                           "TCPIP (RC 428 / 438)", "private-key-unavailable"),
    "error5-hostname": ("error5-hostname", "Seed Error #5: SECURE_HOSTNAME REQUIRED, CMS 0335304B, "
                        "CN=FTPXSRV31", "hostname-mismatch"),
    "error6-expired": ("error6-expired", "Seed Error #6: certificate ended 2011/10/07, failure on "
                       "2014-03-12 (RC 401 both sides)", "certificate-expired"),
    "ca-missing": ("ca-missing", "Client ring lacks the CA that issued the server certificate (RC 435)",
                   "ca-not-trusted"),
    "cipher-mismatch": ("cipher-mismatch", "V3CipherSuites of the two policies do not overlap (RC 402), "
                        "with a GSKSRVR trace", "cipher-mismatch"),
    "handshake-timeout": ("handshake-timeout", "Both sides HandshakeRole Server (RC 5004 both sides)",
                          "handshake-timeout"),
    "healthy": ("healthy", "The same pair working: EZD1281I and RC 0 flows", "none"),
    # native System SSL users (issue 10): folders of tests/data/<family>/
    "ftp-native": ("../ftp/server-private-key", "FTP server with TLSMECHANISM FTP: the ring's default "
                   "certificate belongs to FTPADM, FTPD1 runs as FTPSRV (RC 428 in the SEC trace)",
                   "private-key-unavailable"),
    "tn3270-native": ("../tn3270/cert-expired", "TN3270 SECUREPORT 992: EZZ6035I PARM1 00000191 (RC 401), "
                      "the ring's certificate ended 2026-02-28", "certificate-expired"),
}

# Applications that call System SSL themselves (issue 10): their folders hold good and
# failing artifacts side by side (tests/data/<family>/README.md).
SAMPLES.update({
    "native-cics": ("../cics", "CICS regions with their own TLS: DFHSO0123 X'1B3' (435) for a partner CA not "
                    "on CICSRING, 428 for a default certificate owned by another user", "ca-not-trusted, "
                    "private-key-unavailable"),
    "native-mq": ("../mq", "MQ channel initiator CSQ1CHIN: CSQX620E RC=435 on a sender channel, RC=428 on a "
                  "SVRCONN (certificate under the wrong owner)", "ca-not-trusted, private-key-unavailable"),
    "native-db2": ("../db2", "Db2 DDF secure port under AT-TLS: DSNL511I joins the EZD1287I RC 401 of an "
                   "expired certificate", "certificate-expired"),
    "native-zowe": ("../zowe", "Zowe R_datalib 8/8/44 (ring name case) and z/OSMF 8/8/8 (not authorized)",
                    "keyring-not-authorized, keyring-not-found"),
    "native-hwth": ("../hwth", "Web Enablement Toolkit programs: HWTH_COMMUNICATION_ERROR with System SSL "
                    "435 and 202", "ca-not-trusted, keyring-not-found"),
})


def expected_first(stem: str) -> list[str]:
    """The cause(s) the sample's error findings must name (empty: no error finding)."""
    causes = SAMPLES[stem][2]
    return [] if causes == "none" else [c.strip() for c in causes.split(",")]


@contextmanager
def _cwd(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def build(out: Path = OUT) -> list[Path]:
    from tlsworkbench.diagnose import run
    from tlsworkbench.ingest.loader import load
    from tlsworkbench.sessionfile import save

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, (folder, _, _) in SAMPLES.items():
        src = SCEN / folder
        names = sorted(p.name for p in src.iterdir()
                       if p.is_file() and p.suffix != ".md" and not p.name.startswith(("_", ".")))
        target = (out / f"{stem}.tlswb").resolve()
        with _cwd(src):  # artifacts are read lazily: save while their names resolve
            session = load(names)
            run(session)
            save(session, target, force=True)
        written.append(target)
    (out / "README.md").write_text(readme())
    return written


def readme() -> str:
    rows = "\n".join(f"| `{stem}.tlswb` | {what} | {causes} |" for stem, (_, what, causes) in SAMPLES.items())
    return f"""# Sample sessions

Self-contained `.tlswb` session files built from the scenarios in
`tests/data/scenarios/` by `python tools/build_samples.py` (do not edit them by
hand; change the scenario, then rebuild). `tlsworkbench` with no arguments opens
`mixed.tlswb`; `tlsworkbench diagnose sample_sessions/<file>` runs the same
diagnosis headless. `tests/test_diagnose_samples.py` checks that each one still
diagnoses to the cause listed here.

| file | what it shows | cause expected |
|---|---|---|
{rows}
"""


if __name__ == "__main__":
    for p in build():
        print("wrote", p.relative_to(ROOT))
    sys.exit(0)
