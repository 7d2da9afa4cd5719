"""The VNPAY payment-gateway protocol, version 2.1.0 (pure functions, no Django models).

How the protocol works, as VNPAY documents it for merchants:

1. **Payment URL.** The merchant redirects the payer's browser to the gateway
   with ``vnp_*`` parameters (version, command ``pay``, terminal code, amount
   times 100, currency ``VND``, order reference and description, locale,
   return URL, payer IP, creation and expiry times as ``yyyyMMddHHmmss`` in
   GMT+7). The parameters are sorted by key and URL-encoded (``quote_plus``:
   spaces become ``+``) into the *hash data* ``k1=v1&k2=v2…``;
   ``vnp_SecureHash`` is the hex HMAC-SHA512 of that string under the
   merchant's hash secret. Version 2.1.0 sends no ``vnp_SecureHashType``.
2. **Result.** The gateway signs its result the same way and sends it twice:
   server to server to the merchant's IPN URL (the source of truth), and
   through the browser to ``vnp_ReturnUrl`` (for display). The merchant
   drops ``vnp_SecureHash`` / ``vnp_SecureHashType``, recomputes the hash
   over the remaining ``vnp_*`` parameters and compares in constant time.
   ``vnp_ResponseCode == "00"`` and ``vnp_TransactionStatus == "00"`` mean
   paid; anything else means the payment failed.
3. **IPN answer.** The merchant answers the IPN with JSON
   ``{"RspCode": ..., "Message": ...}``: ``00`` recorded, ``01`` order not
   found, ``02`` order already confirmed, ``04`` invalid amount, ``97``
   invalid signature, ``99`` unknown error. VNPAY retries on anything but
   ``00`` and ``02``.

Empty values are left out of the hash data (and of the URL), as VNPAY's own
server-side samples do.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

VERSION = "2.1.0"
COMMAND_PAY = "pay"
CURRENCY = "VND"
ORDER_TYPE = "other"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
EXPIRES_AFTER = timedelta(minutes=15)

HASH_FIELD = "vnp_SecureHash"
HASH_TYPE_FIELD = "vnp_SecureHashType"

SUCCESS = "00"  # vnp_ResponseCode / vnp_TransactionStatus of a paid transaction
CUSTOMER_CANCELLED = "24"  # vnp_ResponseCode when the payer cancels at the gateway
TRANSACTION_ERROR = "02"  # vnp_TransactionStatus of a failed transaction

# IPN answers (RspCode, Message), in VNPAY's wording.
IPN_CONFIRMED = ("00", "Confirm Success")
IPN_ORDER_NOT_FOUND = ("01", "Order not found")
IPN_ALREADY_CONFIRMED = ("02", "Order already confirmed")
IPN_INVALID_AMOUNT = ("04", "Invalid amount")
IPN_INVALID_SIGNATURE = ("97", "Invalid signature")
IPN_UNKNOWN_ERROR = ("99", "Unknown error")
IPN_NOT_A_RESULT = ("99", "Invalid request")

# What the gateway's verdict (IPN and return) always carries, and what only a
# payment *request* carries (VNPAY 2.1.0 parameter lists). The request is
# signed with the same secret, so the signature alone cannot tell them apart.
RESULT_FIELDS = (
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_ResponseCode",
    "vnp_TransactionNo",
    "vnp_TransactionStatus",
)
REQUEST_ONLY_FIELDS = (
    "vnp_Version",
    "vnp_Command",
    "vnp_CreateDate",
    "vnp_CurrCode",
    "vnp_ExpireDate",
    "vnp_IpAddr",
    "vnp_Locale",
    "vnp_OrderType",
    "vnp_ReturnUrl",
)


def format_date(moment: datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7, the only time format of the protocol."""
    return moment.astimezone(GMT7).strftime(DATE_FORMAT)


def parse_date(value: str) -> datetime:
    """The aware datetime of a ``yyyyMMddHHmmss`` GMT+7 value (ValueError if malformed)."""
    return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=GMT7)


def _signed_fields(params: Mapping[str, object]) -> list[tuple[str, str]]:
    """The ``vnp_*`` fields that are signed, sorted by key, hash fields and empty values left out."""
    fields = []
    for key, value in params.items():
        if not key.startswith("vnp_") or key in (HASH_FIELD, HASH_TYPE_FIELD):
            continue
        text = "" if value is None else str(value)
        if text:
            fields.append((key, text))
    return sorted(fields)


def hash_data(params: Mapping[str, object]) -> str:
    """The string VNPAY signs: sorted ``key=value`` pairs, URL-encoded, joined by ``&``."""
    return "&".join(f"{quote_plus(key)}={quote_plus(value)}" for key, value in _signed_fields(params))


def sign(params: Mapping[str, object], secret: str) -> str:
    """``vnp_SecureHash``: hex HMAC-SHA512 of the hash data under the merchant's secret."""
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signed(params: Mapping[str, object], secret: str) -> dict[str, str]:
    """The signed fields of ``params`` plus their ``vnp_SecureHash``."""
    fields = dict(_signed_fields(params))
    fields[HASH_FIELD] = sign(fields, secret)
    return fields


def verify(params: Mapping[str, object], secret: str) -> bool:
    """True when ``params`` carry a valid ``vnp_SecureHash`` (compared in constant time)."""
    received = str(params.get(HASH_FIELD) or "")
    if not received:
        return False
    return hmac.compare_digest(received.lower(), sign(params, secret))


def query_string(params: Mapping[str, object], secret: str) -> str:
    """The signed query string: the hash data followed by ``vnp_SecureHash``."""
    return f"{hash_data(params)}&{HASH_FIELD}={sign(params, secret)}"


@dataclass(frozen=True)
class PaymentRequest:
    """What the merchant asks the gateway to collect."""

    tmn_code: str
    txn_ref: str
    amount: int  # VND
    order_info: str  # Vietnamese without diacritics, as VNPAY asks
    return_url: str
    ip_address: str
    locale: str = "vn"  # "vn" or "en"
    order_type: str = ORDER_TYPE
    bank_code: str = ""
    created_at: datetime | None = None

    def params(self) -> dict[str, str]:
        created = self.created_at or datetime.now(tz=GMT7)
        return {
            "vnp_Version": VERSION,
            "vnp_Command": COMMAND_PAY,
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(self.amount * 100),
            "vnp_CurrCode": CURRENCY,
            "vnp_TxnRef": self.txn_ref,
            "vnp_OrderInfo": self.order_info,
            "vnp_OrderType": self.order_type,
            "vnp_Locale": self.locale if self.locale in ("vn", "en") else "vn",
            "vnp_ReturnUrl": self.return_url,
            "vnp_IpAddr": self.ip_address,
            "vnp_CreateDate": format_date(created),
            "vnp_ExpireDate": format_date(created + EXPIRES_AFTER),
            "vnp_BankCode": self.bank_code,
        }


def payment_url(gateway_url: str, request: PaymentRequest, secret: str) -> str:
    """The gateway URL the payer's browser is redirected to."""
    separator = "&" if "?" in gateway_url else "?"
    return f"{gateway_url}{separator}{query_string(request.params(), secret)}"


@dataclass(frozen=True)
class PaymentResult:
    """A gateway result (IPN or return), read from its ``vnp_*`` parameters."""

    txn_ref: str
    amount: int | None  # VND, None when vnp_Amount is not a whole number of hundredths
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    tmn_code: str
    params: dict[str, str]

    @property
    def paid(self) -> bool:
        return self.response_code == SUCCESS and self.transaction_status == SUCCESS


def read_result(params: Mapping[str, object]) -> PaymentResult:
    """The result carried by ``params`` (check :func:`verify` first)."""
    values = {key: str(value) for key, value in params.items() if key.startswith("vnp_")}
    raw_amount = values.get("vnp_Amount", "")
    amount = int(raw_amount) // 100 if raw_amount.isdigit() and int(raw_amount) % 100 == 0 else None
    return PaymentResult(
        txn_ref=values.get("vnp_TxnRef", ""),
        amount=amount,
        response_code=values.get("vnp_ResponseCode", ""),
        transaction_status=values.get("vnp_TransactionStatus", ""),
        transaction_no=values.get("vnp_TransactionNo", ""),
        bank_code=values.get("vnp_BankCode", ""),
        tmn_code=values.get("vnp_TmnCode", ""),
        params=values,
    )


def is_result(params: Mapping[str, object]) -> bool:
    """True when ``params`` are shaped as a gateway verdict: every result field, no request field."""
    if any(not str(params.get(name) or "") for name in RESULT_FIELDS):
        return False
    return not any(name in params for name in REQUEST_ONLY_FIELDS)


def ipn_answer(answer: tuple[str, str]) -> dict[str, str]:
    """The JSON body of an IPN answer."""
    code, message = answer
    return {"RspCode": code, "Message": message}
