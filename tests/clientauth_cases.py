"""Client-authentication cases built from scenarios/ca-missing by text replacement
(shared by test_simulate.CASES and test_simulate_clientauth)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data" / "fixes" / "clientauth"
CA3 = "   MVS3 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO\n"
USER_CERT = (DATA / "MVS1.racdcert-user.txt", "MVS1.racdcert-user.txt", [])


def _server_asks(auth):
    return [("HandshakeRole               Server\n", "HandshakeRole               ServerWithClientAuth\n"),
            ("  EnvironmentUserInstance     0\n",
             "  EnvironmentUserInstance     0\n  TTLSEnvironmentAdvancedParms\n  {\n"
             f"    ClientAuthType            {auth}\n  }}\n"),
            ("   MVS1 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO\n",
             "   MVS1 LABS Certificate Authority    CERTAUTH       CERTAUTH     NO\n" + CA3),
            ("RC:  435", "RC:  406")]


ICH408I = ("M 0000000 MVS3     14071 15:07:33.38 STC15830 00000090  ICH408I USER(TCPIP   ) GROUP(SYS1    ) "
           "NAME(TCPIP               ) 908\n"
           "D                                         908 00000090    DIGITAL CERTIFICATE IS NOT DEFINED. "
           "CERTIFICATE SERIAL NUMBER(0A1B)\n"
           "E                                         908 00000090    SUBJECT(CN=USER301.OU=FTP.C=US) "
           "ISSUER(CN=MVS3CA.LABS.IBM.COM.O=MVS3 CA.C=US).\n")
MISSING = _server_asks("Required") + [("RC:  406 Initial Handshake 907\nD                                         907 00000090  LOCAL: 192.168.20.93",
                                       "RC: 5001 Initial Handshake 907\nD                                         907 00000090  LOCAL: 192.168.20.93")]
UNDEFINED = _server_asks("SAFCheck") + [
    ("M 0000000 MVS3     14071 15:07:33.40 STC15830 00000090  EZD1287I TTLS Error RC:  406",
     ICH408I + "M 0000000 MVS3     14071 15:07:33.40 STC15830 00000090  EZD1287I TTLS Error RC: 5002"),
    ("   >Client_RING<\n   Certificate Label Name             Cert Owner     USAGE      DEFAULT\n"
     "   --------------------------------   ------------   --------   -------\n",
     "   >Client_RING<\n   Certificate Label Name             Cert Owner     USAGE      DEFAULT\n"
     "   --------------------------------   ------------   --------   -------\n"
     "   USER301 FTP Client                 ID(USER301)    PERSONAL     YES\n")]
