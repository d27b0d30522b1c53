"""Names of AT-TLS policy statements and parameters, in their canonical spelling.

Shared by the policy file reader and the pasearch reader so that both produce
the same ``PolicyStatement.kind`` and parameter names. Keywords are
case-insensitive in Policy Agent files; ``canon_*`` returns the spelling used
here (unknown names come back as written).
"""

from __future__ import annotations

import re

STATEMENTS = [
    "TTLSRule", "TTLSGroupAction", "TTLSEnvironmentAction", "TTLSConnectionAction",
    "TTLSGroupAdvancedParms", "TTLSEnvironmentAdvancedParms", "TTLSConnectionAdvancedParms",
    "TTLSKeyringParms", "TTLSCipherParms", "TTLSSignatureParms", "TTLSGskAdvancedParms",
    "TTLSGskHttpCdpParms", "TTLSGskLdapParms", "TTLSGskOcspParms",
    "IpAddr", "IpAddrSet", "IpAddrGroup", "PortRange", "PortGroup",
]

# Statements of a main or image configuration file that take one line, no braces.
ONE_LINE = [
    "TcpImage", "TTLSConfig", "CommonTTLSConfig", "IpSecConfig", "CommonIpSecConfig",
    "QoSConfig", "IDSConfig", "RoutingConfig", "LogLevel", "PEPInstance", "ServerConnection",
    "ClientConnection", "DynamicConfigPolicyLoad",
]

PARAMS = [
    # TTLSRule
    "LocalAddr", "RemoteAddr", "LocalAddrRef", "RemoteAddrRef", "LocalAddrSetRef",
    "RemoteAddrSetRef", "LocalAddrGroupRef", "RemoteAddrGroupRef", "LocalPortRange",
    "RemotePortRange", "LocalPortRangeRef", "RemotePortRangeRef", "LocalPortGroupRef",
    "RemotePortGroupRef", "Jobname", "Userid", "Direction", "Priority",
    "TTLSGroupActionRef", "TTLSEnvironmentActionRef", "TTLSConnectionActionRef",
    # actions
    "TTLSEnabled", "CtraceClearText", "Trace", "GroupUserInstance", "TTLSGroupAdvancedParmsRef",
    "HandshakeRole", "SuiteBProfile", "TTLSKeyringParmsRef", "TTLSCipherParmsRef",
    "TTLSSignatureParmsRef", "TTLSEnvironmentAdvancedParmsRef", "TTLSGskAdvancedParmsRef",
    "TTLSGskLdapParmsRef", "TTLSGskOcspParmsRef", "TTLSGskHttpCdpParmsRef",
    "EnvironmentUserInstance", "ConnectionUserInstance", "TTLSConnectionAdvancedParmsRef",
    # parms
    "Keyring", "KeyringPw", "KeyringStashFile", "V2CipherSuites", "V3CipherSuites",
    "V3CipherSuites4Char", "SignaturePairs", "SignaturePairsCert", "ClientECurves",
    "ApplicationControlled", "HandshakeTimeout", "ClientAuthType", "Renegotiation",
    "RenegotiationIndicator", "RenegotiationCertCheck", "SSLv2", "SSLv3", "TLSv1",
    "TLSv1.1", "TLSv1.2", "TLSv1.3", "CertificateLabel", "ServerCertificateLabel",
    "SecondaryMap", "SyslogFacility", "Envfile", "FIPS140", "ResetCipherTimer",
    "TruncatedHMAC", "ClientMaxSSLFragment", "ServerMaxSSLFragment", "ServerScsv",
    "ClientHandshakeSNI", "ClientHandshakeSNIList", "ServerHandshakeSNI",
    "ServerHandshakeSNIMatch", "ServerHandshakeSNIList", "ClientExtendedMasterSecret",
    "ServerExtendedMasterSecret", "MiddleBoxCompatMode", "CertValidationMode",
    "PeerMinCertVersion", "PeerMinDHKeySize", "PeerMinDsaKeySize", "PeerMinECCKeySize",
    "PeerMinRsaKeySize", "HostName", "AcceptExpiredCertificate", "ServerCertificateLabelList",
    "SessionTicket", "ClientSessionTicket", "ServerSessionTicket", "SecondaryMapping",
    # address and port statements
    "Addr", "Prefix", "Range", "Port", "IpAddrRef", "IpAddrSetRef", "PortRangeRef",
]

# Parameters that take a list: always kept as a list, and continued on lines
# that carry only values.
MULTI = {
    "V2CipherSuites", "V3CipherSuites", "V3CipherSuites4Char", "SignaturePairs",
    "SignaturePairsCert", "ClientECurves", "ClientHandshakeSNIList", "ServerHandshakeSNIList",
    "ServerCertificateLabelList", "Addr", "Prefix", "Range", "Port", "IpAddrRef",
    "IpAddrSetRef", "PortRangeRef",
}

# Which statement a parameter belongs to, when it can only be one (pasearch
# output without indentation uses it to know where a line goes).
OWNER = {
    "Keyring": "TTLSKeyringParms", "KeyringPw": "TTLSKeyringParms",
    "KeyringStashFile": "TTLSKeyringParms",
    "V2CipherSuites": "TTLSCipherParms", "V3CipherSuites": "TTLSCipherParms",
    "V3CipherSuites4Char": "TTLSCipherParms", "SignaturePairs": "TTLSSignatureParms",
    "ClientECurves": "TTLSSignatureParms",
}

_STMT = {s.lower(): s for s in STATEMENTS}
_ONE = {s.lower(): s for s in ONE_LINE}
_PARAM = {p.lower(): p for p in PARAMS}

# Values that look like entries of a cipher or curve list (for continuations).
VALUE_LIKE = re.compile(r"^(TLS_|SSL_|ECDHE|ECDH|DHE|RSA|[0-9A-Fa-f]{2}$|[0-9A-Fa-f]{4}$|0x)", re.IGNORECASE)


def canon_statement(word: str) -> str | None:
    return _STMT.get(word.lower())


def canon_one_line(word: str) -> str | None:
    return _ONE.get(word.lower())


def canon_param(word: str) -> str:
    return _PARAM.get(word.lower(), word)


def is_param(word: str) -> bool:
    return word.lower() in _PARAM


def add_param(params: dict, lines: dict, name: str, values: list[str], rid: str) -> None:
    """Add ``name values`` to a statement's params: lists for MULTI parameters,
    a list when a single-valued parameter is given again."""
    if name in MULTI:
        params.setdefault(name, [])
        if not isinstance(params[name], list):
            params[name] = [params[name]]
        params[name].extend(values)
    else:
        value = " ".join(values)
        if name in params:
            old = params[name]
            params[name] = (old if isinstance(old, list) else [old]) + [value]
        else:
            params[name] = value
    lines.setdefault(name, rid)
