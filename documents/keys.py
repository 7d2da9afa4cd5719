"""Private keys at rest: PKCS#8 ``EncryptedPrivateKeyInfo`` (RFC 5958, PBES2 of RFC 8018).

Every private key the portal holds is stored encrypted, in the standard
format that ``openssl pkcs8`` and every PKI tool read:

- **personal keys** under the signer's own passphrase, with PBKDF2-HMAC-SHA256
  (``PERSONAL_KEY_KDF_ITERATIONS``, 600,000 by default) and AES-256-CBC. The
  passphrase is asked for at signing time, used to decrypt the key in memory
  and dropped; it is never stored, logged or put in an exception;
- **organisation keys** (and the demo certificate authority's) under the
  secret ``ORG_SIGNING_KEY_SECRET`` from the environment (see
  :mod:`documents.conf`), so the clerk can seal an issued document without a
  person's passphrase.

``cryptography`` writes PBES2 with only 2,048 PBKDF2 iterations, too few for a
passphrase a person chose; the encryption is therefore assembled here with
``asn1crypto`` (same format, chosen iteration count), and read back with
``cryptography``, which accepts any count.
"""

from __future__ import annotations

import os
import unicodedata

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from documents import conf

# A secret of 32+ random characters needs no slow key derivation.
ORG_KDF_ITERATIONS = 10_000


class WrongPassphrase(ValueError):
    """The passphrase does not open the key (the message names no secret)."""


def _normalise(passphrase: str | bytes) -> bytes:
    if isinstance(passphrase, bytes):
        return passphrase
    # Vietnamese keyboards may send composed or decomposed accents: the same passphrase either way.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def encrypt_private_key(private_key, passphrase: str | bytes, *, iterations: int | None = None) -> bytes:
    """DER of the PKCS#8 ``EncryptedPrivateKeyInfo`` of ``private_key`` (a ``cryptography`` key)."""
    secret = _normalise(passphrase)
    if not secret:
        raise ValueError("An empty passphrase cannot protect a key.")
    iterations = iterations or conf.kdf_iterations()
    plain = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    salt, iv = os.urandom(16), os.urandom(16)
    key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations).derive(secret)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    data = encryptor.update(padded) + encryptor.finalize()
    info = asn1_keys.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": {
                "algorithm": "pbes2",
                "parameters": {
                    "key_derivation_func": {
                        "algorithm": "pbkdf2",
                        "parameters": {
                            "salt": ("specified", salt),
                            "iteration_count": iterations,
                            "prf": {"algorithm": "sha256", "parameters": None},
                        },
                    },
                    "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
                },
            },
            "encrypted_data": data,
        }
    )
    return info.dump()


def decrypt_private_key(encrypted: bytes, passphrase: str | bytes):
    """The ``cryptography`` private key; :class:`WrongPassphrase` when it does not open."""
    try:
        return serialization.load_der_private_key(bytes(encrypted), password=_normalise(passphrase))
    except (ValueError, TypeError):
        raise WrongPassphrase("The passphrase does not open this key.") from None


def kdf_iterations_of(encrypted: bytes) -> int:
    """How many PBKDF2 iterations protect a stored key (shown to administrators, not secret)."""
    info = asn1_keys.EncryptedPrivateKeyInfo.load(bytes(encrypted))
    params = info["encryption_algorithm"]["parameters"]["key_derivation_func"]["parameters"]
    return int(params["iteration_count"].native)


def encrypt_organisation_key(private_key) -> bytes:
    return encrypt_private_key(private_key, conf.org_secret(), iterations=ORG_KDF_ITERATIONS)


def decrypt_organisation_key(encrypted: bytes):
    try:
        return decrypt_private_key(encrypted, conf.org_secret())
    except WrongPassphrase:
        raise WrongPassphrase(
            f"{conf.ORG_SECRET_NAME} does not open this organisation key: "
            "it was encrypted under another secret."
        ) from None


def reencrypt_organisation_keys(old_secret: str, new_secret: str) -> int:
    """Re-encrypt every organisation-held key from ``old_secret`` to ``new_secret`` (one transaction)."""
    from django.db import transaction

    from documents.models import Certificate, KeyProtection

    count = 0
    with transaction.atomic():
        rows = Certificate.objects.select_for_update().filter(key_protection=KeyProtection.ENVIRONMENT)
        for cert in rows:
            key = decrypt_private_key(cert.encrypted_key, old_secret)
            cert.encrypted_key = encrypt_private_key(key, new_secret, iterations=ORG_KDF_ITERATIONS)
            cert.save(update_fields=["encrypted_key"])
            count += 1
    return count
