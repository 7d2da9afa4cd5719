"""Online fee payment of level-4 dossiers through a payment gateway (the VNPAY protocol).

The merchant side of the protocol: the citizen's proof for paying
(:func:`payment_token`), the gateway URL a payment starts at
(:func:`gateway_redirect_url`), and the recording of the gateway's signed
verdict (:func:`record_result`), shared by the server-to-server IPN (the
source of truth) and the browser's return. Every write goes through
``onestop.services`` (``start_payment``, ``confirm_payment``).

Settings, each read with ``getattr(settings, ...)``:

- ``VNPAY_TMN_CODE``: the merchant's terminal code (default ``MYTHO001``).
- ``VNPAY_HASH_SECRET``: the merchant's hash secret at the real gateway.
- ``VNPAY_PAYMENT_URL``: the real gateway's payment page. When it is set the
  sandbox is off, whatever ``PAYMENT_SANDBOX`` says, and payments are signed
  with ``VNPAY_HASH_SECRET`` (no secret: no online payment).
- ``PAYMENT_SANDBOX``: serve the local sandbox gateway at VNPAY's path (off
  unless switched on; ``make run`` and the tests switch it on). The sandbox
  and the merchant then sign with a sandbox secret derived from
  ``SECRET_KEY``, never with ``VNPAY_HASH_SECRET``, so a real merchant
  secret can never be used to sign a result this site forges itself. A
  deploy check (``check --deploy``) errors while the sandbox is on.
- ``VNPAY_RETURN_URL``, ``VNPAY_IPN_URL``: where the gateway sends the browser
  back / its IPN (default: ``onestop:payment_return`` / ``onestop:payment_ipn``
  on ``PORTAL_BASE_URL``, never on the Host header of a request).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from onestop import services
from onestop.models import Dossier, Payment
from onestop.payments import vnpay
from onestop.workflow import WorkflowError
from portal.links import absolute_url

logger = logging.getLogger(__name__)

TOKEN_SALT = "onestop.payment"
TOKEN_MAX_AGE = 24 * 3600  # seconds

# What VNPAY's vnp_ResponseCode values mean, for the payer and for officials.
RESPONSE_MESSAGES = {
    "00": gettext_lazy("Transaction successful."),
    "07": gettext_lazy("Money was deducted, but the transaction is suspected of fraud."),
    "09": gettext_lazy("The card or account is not registered for internet banking."),
    "10": gettext_lazy("The card or account details were entered wrongly more than 3 times."),
    "11": gettext_lazy("The time allowed for payment ran out."),
    "12": gettext_lazy("The card or account is locked."),
    "13": gettext_lazy("The one-time password (OTP) was wrong."),
    "24": gettext_lazy("The payer cancelled the transaction."),
    "51": gettext_lazy("The account balance is not enough."),
    "65": gettext_lazy("The account has exceeded its daily transaction limit."),
    "75": gettext_lazy("The paying bank is under maintenance."),
    "79": gettext_lazy("The payment password was wrong too many times."),
}


def response_message(code: str) -> str:
    """A plain description of a VNPAY ``vnp_ResponseCode`` (for the payer and the admin)."""
    if not code:
        return ""
    known = RESPONSE_MESSAGES.get(code)
    if known is not None:
        return str(known)
    return _("The transaction failed (code %(code)s).") % {"code": code}


# --- settings ----------------------------------------------------------------------------


def tmn_code() -> str:
    return getattr(settings, "VNPAY_TMN_CODE", "") or "MYTHO001"


def real_gateway_url() -> str:
    return getattr(settings, "VNPAY_PAYMENT_URL", "") or ""


def sandbox_enabled() -> bool:
    """The local sandbox gateway runs only when switched on, and never beside a real gateway."""
    return bool(getattr(settings, "PAYMENT_SANDBOX", False)) and not real_gateway_url()


def sandbox_secret() -> str:
    """The sandbox's hash secret: derived from SECRET_KEY, never the real merchant secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"onestop.payments.vnpay-hash-secret", hashlib.sha256)
    return digest.hexdigest()[:32].upper()


def hash_secret() -> str:
    """The secret payments are signed and checked with: the sandbox's, or the real merchant's."""
    if sandbox_enabled():
        return sandbox_secret()
    return getattr(settings, "VNPAY_HASH_SECRET", "") or ""


def gateway_url() -> str | None:
    """The gateway's payment page, or None when no gateway is usable."""
    if real_gateway_url():
        return real_gateway_url() if hash_secret() else None
    if sandbox_enabled():
        return absolute_url(reverse("onestop:sandbox_vnpay"))
    return None


def return_url() -> str:
    return getattr(settings, "VNPAY_RETURN_URL", "") or absolute_url(reverse("onestop:payment_return"))


def ipn_url() -> str:
    """The merchant's IPN URL (what a merchant registers with VNPAY; the sandbox calls it)."""
    return getattr(settings, "VNPAY_IPN_URL", "") or absolute_url(reverse("onestop:payment_ipn"))


# --- the citizen's proof -------------------------------------------------------------------


def payment_token(dossier: Dossier) -> str:
    """A signed token proving the bearer may pay ``dossier`` (valid 24 hours)."""
    return signing.dumps(dossier.code, salt=TOKEN_SALT)


def check_payment_token(code: str, token: str) -> Dossier | None:
    """The dossier ``token`` was made for, if it is ``code`` and the token is valid and fresh."""
    if not code or not token:
        return None
    try:
        signed_code = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if signed_code != code:
        return None
    return Dossier.objects.select_related("service", "receiving_unit").filter(code=code).first()


def pay_url(dossier: Dossier) -> str:
    """The citizen's payment page of ``dossier`` (``onestop:pay`` with a fresh token)."""
    return f"{reverse('onestop:pay', args=[dossier.code])}?t={payment_token(dossier)}"


# --- starting a payment ----------------------------------------------------------------------


def _without_accents(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def order_info(payment: Payment) -> str:
    """The order description VNPAY shows: without diacritics, as the protocol asks."""
    return _without_accents(_("Fee for dossier %(code)s") % {"code": payment.dossier.code})


def gateway_redirect_url(request, payment: Payment) -> str | None:
    """The signed gateway URL for ``payment``, or None when no gateway is configured."""
    base = gateway_url()
    if base is None:
        return None
    from portal.audit import client_ip

    payment_request = vnpay.PaymentRequest(
        tmn_code=tmn_code(),
        txn_ref=payment.txn_ref,
        amount=payment.amount,
        order_info=order_info(payment),
        return_url=return_url(),
        ip_address=client_ip(request) or "127.0.0.1",
        locale="en" if (get_language() or "vi").startswith("en") else "vn",
    )
    return vnpay.payment_url(base, payment_request, hash_secret())


# --- recording the gateway's verdict --------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of a gateway result: the IPN answer, and the payment it concerned."""

    answer: tuple[str, str]
    payment: Payment | None = None
    result: vnpay.PaymentResult | None = None

    @property
    def signature_valid(self) -> bool:
        return self.answer != vnpay.IPN_INVALID_SIGNATURE

    def json(self) -> dict[str, str]:
        return vnpay.ipn_answer(self.answer)


def record_result(params, via: str) -> Outcome:
    """Check a signed gateway result and record it once (VNPAY's IPN rules).

    ``via`` says which channel brought it ("ipn" or "return"); it is kept in
    the payment's raw data. Never raises: every problem is an IPN answer.
    """
    secret = hash_secret()
    if not secret or not vnpay.verify(params, secret):
        return Outcome(vnpay.IPN_INVALID_SIGNATURE)
    if not vnpay.is_result(params) or params.get("vnp_TmnCode") != tmn_code():
        # Signed, but not a gateway verdict: the signed *request* (in the
        # payer's address bar while at the gateway) carries no result and
        # must never settle, or fail, the payment.
        return Outcome(vnpay.IPN_NOT_A_RESULT)
    result = vnpay.read_result(params)
    try:
        return _record(result, via)
    except WorkflowError as exc:
        logger.warning("Payment %s could not be recorded: %s", result.txn_ref, exc.message)
        return Outcome(vnpay.IPN_UNKNOWN_ERROR, _payment(result.txn_ref), result)
    except Exception:  # noqa: BLE001 - the gateway gets an answer, the error goes to the log
        logger.exception("Payment %s could not be recorded", result.txn_ref)
        return Outcome(vnpay.IPN_UNKNOWN_ERROR, None, result)


def _payment(txn_ref: str) -> Payment | None:
    return Payment.objects.select_related("dossier").filter(provider="vnpay", txn_ref=txn_ref).first()


@transaction.atomic
def _record(result: vnpay.PaymentResult, via: str) -> Outcome:
    payment = (
        Payment.objects.select_for_update()
        .filter(provider="vnpay", txn_ref=result.txn_ref)
        .select_related("dossier")
        .first()
    )
    if payment is None or not result.txn_ref:
        return Outcome(vnpay.IPN_ORDER_NOT_FOUND, None, result)
    if result.amount != payment.amount:
        return Outcome(vnpay.IPN_INVALID_AMOUNT, payment, result)
    if payment.status != Payment.Status.PENDING:
        return Outcome(vnpay.IPN_ALREADY_CONFIRMED, payment, result)
    payment = services.confirm_payment(
        payment,
        paid=result.paid,
        provider_txn_no=result.transaction_no[:64],
        bank_code=result.bank_code[:32],
        response_code=result.response_code[:8],
        raw={**result.params, "received_via": via},
    )
    return Outcome(vnpay.IPN_CONFIRMED, payment, result)
