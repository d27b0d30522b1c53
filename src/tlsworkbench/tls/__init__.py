"""TLS wire decoding for handshake messages recovered from trace hex dumps.

``handshake.decode(bytes)`` -> messages (partial ones report where they stop);
``names`` holds the lookups the rest of the package uses: ``suite_name(code)``,
``suite_by_spec("0A" | "C02F" | name) -> (code, iana)``, ``suite_label(code)``.
"""

from .names import suite_by_spec, suite_label, suite_name, suite_specs

__all__ = ["suite_by_spec", "suite_label", "suite_name", "suite_specs"]
