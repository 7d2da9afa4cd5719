"""The demo's published two-step key, and the code it gives now.

The demo log-ins of ``make run`` (``seed_demo``) all carry an authenticator
device with this one key, published in the README and the start banner, so
whoever tries the demo adds it once to an authenticator app, or runs
``make demo-code`` for the current code. It is RFC 6238's own test key:
never a secret, never on a real account. No Django here (``make demo-code``
runs without settings).
"""

from __future__ import annotations

import base64

DEMO_TOTP_KEY = b"12345678901234567890"  # RFC 6238, appendix B
DEMO_TOTP_KEY_HEX = DEMO_TOTP_KEY.hex()
DEMO_TOTP_KEY_BASE32 = base64.b32encode(DEMO_TOTP_KEY).decode()


def current_code() -> str:
    from django_otp.oath import totp

    return f"{totp(DEMO_TOTP_KEY):06d}"


if __name__ == "__main__":
    print(current_code())
