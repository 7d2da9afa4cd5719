"""A local sandbox gateway that speaks VNPAY's protocol, for the demo and the tests.

It behaves as an external gateway would: it knows the merchant only by its
terminal code and hash secret, checks the signed request, lets the payer
pick a bank and pay or cancel, then tells the merchant the signed result
over HTTP only: a server-to-server GET to the merchant's IPN URL, and the
browser's redirect to ``vnp_ReturnUrl``. It never calls the portal's
services. Served at VNPAY's own path, ``/sandbox/vnpay/paymentv2/vpcpay.html``,
only while :func:`onestop.payments.sandbox_enabled` (``PAYMENT_SANDBOX`` on and
no real gateway configured; 404 otherwise). It signs with the sandbox secret
only, never the real merchant's. No money moves.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime
from urllib.error import URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from onestop import payments
from onestop.payments import vnpay
from portal.text import money

logger = logging.getLogger(__name__)

IPN_TIMEOUT = 5  # seconds

# Banks the sandbox offers (codes as VNPAY uses them); the names are proper names.
BANKS = [
    ("NCB", "Ngân hàng Quốc Dân (NCB)"),
    ("VIETCOMBANK", "Vietcombank"),
    ("VIETINBANK", "VietinBank"),
    ("BIDV", "BIDV"),
    ("AGRIBANK", "Agribank"),
    ("TECHCOMBANK", "Techcombank"),
    ("MBBANK", "MB Bank"),
    ("SACOMBANK", "Sacombank"),
]
BANK_CODES = {code for code, _name in BANKS}

PAY = "pay"
CANCEL = "cancel"


class GatewayError(Exception):
    """The request is refused, as the gateway's error page would say."""


def _now() -> datetime:
    return datetime.now(tz=vnpay.GMT7)


def check_request(params) -> dict[str, str]:
    """The request's ``vnp_*`` fields if it is valid for this merchant; GatewayError otherwise."""
    fields = {key: params.get(key, "") for key in params if key.startswith("vnp_")}
    if fields.get("vnp_TmnCode") != payments.tmn_code():
        raise GatewayError(_("Unknown merchant (vnp_TmnCode)."))
    if not vnpay.verify(fields, payments.sandbox_secret()):
        raise GatewayError(_("Invalid signature."))
    if fields.get("vnp_Version") != vnpay.VERSION or fields.get("vnp_Command") != vnpay.COMMAND_PAY:
        raise GatewayError(_("Unsupported version or command."))
    if fields.get("vnp_CurrCode") != vnpay.CURRENCY:
        raise GatewayError(_("Unsupported currency."))
    amount = fields.get("vnp_Amount", "")
    if not amount.isdigit() or int(amount) <= 0 or int(amount) % 100:
        raise GatewayError(_("Invalid amount."))
    if not fields.get("vnp_TxnRef") or urlsplit(fields.get("vnp_ReturnUrl", "")).scheme not in (
        "http",
        "https",
    ):
        raise GatewayError(_("The request is incomplete."))
    try:
        expires = vnpay.parse_date(fields.get("vnp_ExpireDate", ""))
    except ValueError:
        raise GatewayError(_("The request is incomplete."))
    if expires < _now():
        raise GatewayError(_("The time allowed for payment ran out."))
    return fields


def result_params(request_fields: dict[str, str], paid: bool, bank_code: str) -> dict[str, str]:
    """The signed result the gateway sends back, for a paid or cancelled transaction."""
    result = {
        "vnp_TmnCode": request_fields["vnp_TmnCode"],
        "vnp_TxnRef": request_fields["vnp_TxnRef"],
        "vnp_Amount": request_fields["vnp_Amount"],
        "vnp_OrderInfo": request_fields.get("vnp_OrderInfo", ""),
        "vnp_BankCode": bank_code,
        "vnp_CardType": "ATM",
        "vnp_PayDate": vnpay.format_date(_now()),
        "vnp_ResponseCode": vnpay.SUCCESS if paid else vnpay.CUSTOMER_CANCELLED,
        "vnp_TransactionStatus": vnpay.SUCCESS if paid else vnpay.TRANSACTION_ERROR,
        "vnp_TransactionNo": f"{secrets.randbelow(10**8):08d}" if paid else "0",
    }
    if paid:
        result["vnp_BankTranNo"] = f"VNP{secrets.randbelow(10**8):08d}"
    return vnpay.signed(result, payments.sandbox_secret())


def notify_merchant(url: str, result: dict[str, str]) -> dict | None:
    """Send the IPN (server-to-server GET) and return the merchant's JSON answer, or None."""
    target = f"{url}{'&' if '?' in url else '?'}{urlencode(result)}"
    try:
        with urlopen(Request(target, headers={"Accept": "application/json"}), timeout=IPN_TIMEOUT) as reply:
            answer = json.loads(reply.read().decode("utf-8"))
    except (URLError, TimeoutError, OSError, ValueError) as exc:
        logger.warning("Sandbox IPN to %s for %s failed: %s", url, result["vnp_TxnRef"], exc)
        return None
    logger.info("Sandbox IPN for %s answered %s", result["vnp_TxnRef"], answer)
    return answer


def _error(request, message):
    return render(request, "onestop/payments/sandbox_error.html", {"message": message}, status=400)


def _language(params) -> str:
    return "en" if params.get("vnp_Locale") == "en" else "vi"


@never_cache
def vpcpay(request):
    """The gateway's payment page: GET shows the order, POST pays or cancels it."""
    if not payments.sandbox_enabled():
        raise Http404
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    params = request.GET if request.method == "GET" else request.POST
    with translation.override(_language(params)):
        try:
            fields = check_request(params)
        except GatewayError as exc:
            return _error(request, str(exc))
        if request.method == "GET":
            return _page(request, fields)
        return _act(request, fields)


def _act(request, fields):
    action = request.POST.get("action")
    bank_code = request.POST.get("bank_code", "")
    if action == PAY and bank_code not in BANK_CODES:
        return _page(request, fields, error=_("Choose your bank."))
    if action not in (PAY, CANCEL):
        return _page(request, fields)
    result = result_params(fields, paid=action == PAY, bank_code=bank_code if action == PAY else "")
    notify_merchant(payments.ipn_url(), result)
    return_url = fields["vnp_ReturnUrl"]
    return HttpResponseRedirect(f"{return_url}{'&' if '?' in return_url else '?'}{urlencode(result)}")


def _page(request, fields, error=""):
    context = {
        "fields": sorted(fields.items()),
        "tmn_code": fields["vnp_TmnCode"],
        "txn_ref": fields["vnp_TxnRef"],
        "order_info": fields.get("vnp_OrderInfo", ""),
        "amount": money(int(fields["vnp_Amount"]) // 100),
        "banks": BANKS,
        "chosen_bank": request.POST.get("bank_code", fields.get("vnp_BankCode", "")),
        "error": error,
    }
    return render(request, "onestop/payments/sandbox_pay.html", context, status=400 if error else 200)
