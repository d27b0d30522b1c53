"""tlsworkbench: explains failed z/OS SSL/TLS and AT-TLS connections."""

__version__ = "0.1.0"
