"""Issuing and registering X.509 certificates (the demo authority, tests, imports).

In production the certificates of officials and agencies come from a
licensed authority (the Government Cipher Committee's for state bodies);
the portal then only *registers* them (:func:`register_certificate`). The
demo and the tests run their own small authority with the same code path:
:func:`create_authority` makes a self-signed root, :func:`issue` a
certificate under it with the key usages a document signature needs
(digital signature and non-repudiation). Keys are EC P-256: a key pair takes
about 0.1 ms where RSA-2048 takes about 40 ms on this machine (measured with
``manage.py benchmark_signatures``), and every PDF reader in use verifies
ECDSA P-256 with SHA-256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import timezone

from documents import keys
from documents.models import Certificate, CertificateKind, KeyProtection


def new_key():
    return ec.generate_private_key(ec.SECP256R1())


def name(common_name: str, *, organisation: str = "", unit: str = "", locality: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if locality:
        attrs.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality[:128]))
    if organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(attrs)


def _key_usage(*, signing: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def build_root(subject: x509.Name, key, not_before: datetime, not_after: datetime) -> x509.Certificate:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(signing=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def build_leaf(
    subject: x509.Name,
    public_key,
    issuer: x509.Certificate,
    issuer_key,
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True, ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
        .sign(issuer_key, hashes.SHA256())
    )


def _common_name(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else cert.subject.rfc4514_string()[:255]


def serial_hex(serial: int) -> str:
    return f"{serial:X}"


def fields_of(cert: x509.Certificate) -> dict:
    """The registry columns read from a certificate."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return {
        "common_name": _common_name(cert)[:255],
        "subject": cert.subject.rfc4514_string()[:1000],
        "issuer": cert.issuer.rfc4514_string()[:1000],
        "serial_number": serial_hex(cert.serial_number),
        "fingerprint": hashlib.sha256(der).hexdigest(),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
        "der": der,
    }


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes; ``ValueError`` when it is neither."""
    data = bytes(data)
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def register_certificate(
    cert: x509.Certificate,
    *,
    kind: str,
    owner=None,
    unit=None,
    trusted: bool = False,
    private_key=None,
    passphrase: str | None = None,
    image: bytes | None = None,
    image_width_mm: int | None = None,
    kdf_iterations: int | None = None,
) -> Certificate:
    """Create the registry row of ``cert`` (its key encrypted as the kind requires).

    A personal key is encrypted with ``passphrase``; an organisation's or an
    authority's with ``ORG_SIGNING_KEY_SECRET``. The issuing certificate is
    linked when the registry holds it.
    """
    fields = fields_of(cert)
    row = Certificate(kind=kind, owner=owner, unit=unit, trusted=trusted, image=image, **fields)
    if image_width_mm:
        row.image_width_mm = image_width_mm
    row.issuer_certificate = (
        Certificate.objects.filter(kind=CertificateKind.AUTHORITY, subject=fields["issuer"])
        .exclude(fingerprint=fields["fingerprint"])
        .order_by("-not_after")
        .first()
    )
    if private_key is not None:
        if kind == CertificateKind.PERSONAL:
            if not passphrase:
                raise ValueError("A personal key needs its holder's passphrase.")
            row.encrypted_key = keys.encrypt_private_key(private_key, passphrase, iterations=kdf_iterations)
            row.key_protection = KeyProtection.PASSPHRASE
        else:
            row.encrypted_key = keys.encrypt_organisation_key(private_key)
            row.key_protection = KeyProtection.ENVIRONMENT
    row.full_clean(exclude=["der", "image"])
    row.save()
    return row


@dataclass
class Authority:
    """A certificate authority whose key the portal holds (the demo's, the tests')."""

    certificate: Certificate
    key: object

    @property
    def x509(self) -> x509.Certificate:
        return self.certificate.x509()


def create_authority(common_name: str, *, organisation: str = "", years: int = 20) -> Authority:
    now = timezone.now()
    key = new_key()
    cert = build_root(
        name(common_name, organisation=organisation),
        key,
        now - timedelta(days=1),
        now + timedelta(days=365 * years),
    )
    row = register_certificate(cert, kind=CertificateKind.AUTHORITY, trusted=True, private_key=key)
    return Authority(row, key)


def load_authority(row: Certificate) -> Authority:
    return Authority(row, keys.decrypt_organisation_key(row.encrypted_key))


def issue(
    authority: Authority,
    *,
    kind: str,
    common_name: str,
    owner=None,
    unit=None,
    passphrase: str | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    image: bytes | None = None,
    image_width_mm: int | None = None,
    organisation: str = "",
    kdf_iterations: int | None = None,
) -> Certificate:
    """Issue a personal or organisation certificate under ``authority`` and register it with its key."""
    not_before = not_before or timezone.now() - timedelta(minutes=5)
    not_after = not_after or not_before + timedelta(days=3 * 365)
    key = new_key()
    org = organisation or (unit.name if unit is not None else "")
    subject = name(common_name, organisation=org)
    cert = build_leaf(subject, key.public_key(), authority.x509, authority.key, not_before, not_after)
    return register_certificate(
        cert,
        kind=kind,
        owner=owner,
        unit=unit,
        private_key=key,
        passphrase=passphrase,
        image=image,
        image_width_mm=image_width_mm,
        kdf_iterations=kdf_iterations,
    )
