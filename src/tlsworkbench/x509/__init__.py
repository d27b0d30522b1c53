"""Certificate analysis shared by the engine and the panes (no UI imports).

``facts`` reads DER into CertInfo, ``hostname`` judges host names (System SSL
and RFC 6125), ``chain`` walks a path through a key ring, ``checks`` runs every
check of one certificate; ``dn`` converts RACF and RFC 4514 names.
"""

from .chain import ChainLink, ChainProblem, ChainResult, build_chain, check_signature, norm_dn, webpki_verdict
from .checks import Check, check_cert, usages, validity_state
from .facts import cert_facts_extra, certificate_of, facts_from_der, zos_dn
from .hostname import HostVerdict, check_host, rfc6125_match, system_ssl_match

__all__ = [
    "ChainLink", "ChainProblem", "ChainResult", "Check", "HostVerdict", "build_chain", "cert_facts_extra",
    "certificate_of", "check_cert", "check_host", "check_signature", "facts_from_der", "norm_dn",
    "rfc6125_match", "system_ssl_match", "usages", "validity_state", "webpki_verdict", "zos_dn",
]
