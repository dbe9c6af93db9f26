"""One-time dashboard login links: signed tokens, of which the store keeps only a hash.

A token is ``nonce.expires.signature`` in hex and digits only (so no chat's Markdown mangles a link): 16
random bytes, the expiry in Unix seconds, and an HMAC-SHA256 of both under the dashboard's signing key.
The signature lets the dashboard turn a forged or mangled link away before any database lookup; the
store's record of the token's hash makes the link single-use and lets any bot process redeem it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

_NONCE_BYTES = 16
_SIGNATURE_HEX = 32  # 128 bits of the HMAC
_TOKEN = re.compile(r"(?P<nonce>[0-9a-f]{32})\.(?P<expires>[0-9]{1,12})\.(?P<signature>[0-9a-f]{32})")


def _signature(key: bytes, nonce: str, expires: int) -> str:
    return hmac.new(key, f"login:{nonce}.{expires}".encode(), hashlib.sha256).hexdigest()[:_SIGNATURE_HEX]


def make_token(key: bytes, expires_at: datetime) -> str:
    """Return a new login token that expires at ``expires_at``, signed with ``key``."""
    nonce = secrets.token_hex(_NONCE_BYTES)
    expires = int(expires_at.timestamp())
    return f"{nonce}.{expires}.{_signature(key, nonce, expires)}"


def token_hash(token: str) -> str:
    """Return what the store keeps of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_valid(key: bytes, token: str, now: datetime) -> bool:
    """Return whether ``token`` is well formed, signed with ``key`` and not expired at ``now``."""
    found = _TOKEN.fullmatch(token)
    if found is None:
        return False
    expires = int(found["expires"])
    expected = _signature(key, found["nonce"], expires)
    return hmac.compare_digest(expected, found["signature"]) and now.timestamp() < expires
