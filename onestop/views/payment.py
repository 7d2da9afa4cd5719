"""Paying a level-4 dossier's fee online (VNPAY protocol), and the local sandbox gateway.

- ``onestop:pay`` (``/thanh-toan/<code>/?t=<token>``): the amount due and a
  "Pay" button; the token is :func:`onestop.payments.payment_token`.
- ``onestop:payment_start`` (POST ``dossier_code`` + ``token``): opens the
  payment and redirects to the gateway.
- ``onestop:payment_ipn``: the gateway's server-to-server verdict (JSON).
- ``onestop:payment_return``: the payer's browser comes back; shows the result.
- ``onestop:sandbox_vnpay``: the sandbox gateway, at VNPAY's path.
"""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from onestop import payments, services
from onestop.models import DossierStatus, Payment
from onestop.payments import sandbox, vnpay
from onestop.workflow import WorkflowError
from portal.text import money

logger = logging.getLogger(__name__)


def _lookup_url() -> str:
    """The dossier look-up page (the citizen pages' own), or home until it exists."""
    try:
        return reverse("onestop:lookup")
    except NoReverseMatch:
        return reverse("home")


def _invalid_link(request):
    return render(
        request,
        "onestop/payments/error.html",
        {
            "title": _("This payment link is not valid"),
            "message": _(
                "The link is wrong or older than 24 hours. Look up your dossier again to get a new payment link."
            ),
            "lookup_url": _lookup_url(),
        },
        status=403,
    )


def _pay_page(request, dossier, token, error="", status=200):
    attempts = list(dossier.payments.all())
    for attempt in attempts:
        attempt.amount_display = money(attempt.amount)
    context = {
        "dossier": dossier,
        "token": token,
        "amount_due": money(dossier.fee_amount),
        "can_pay": dossier.status == DossierStatus.AWAITING_PAYMENT,
        "attempts": attempts,
        "error": error,
        "lookup_url": _lookup_url(),
    }
    return render(request, "onestop/payments/pay.html", context, status=status)


@never_cache
@require_GET
def pay(request, code):
    """The amount due for a dossier and the button that starts the payment."""
    token = request.GET.get("t", "")
    dossier = payments.check_payment_token(code, token)
    if dossier is None:
        return _invalid_link(request)
    return _pay_page(request, dossier, token)


@never_cache
@require_POST
def start(request):
    """Open (or reuse) the dossier's pending payment and send the payer to the gateway."""
    code = request.POST.get("dossier_code", "").strip()
    token = request.POST.get("token", "")
    dossier = payments.check_payment_token(code, token)
    if dossier is None:
        return _invalid_link(request)
    try:
        payment = services.start_payment(dossier)
    except WorkflowError as exc:
        return _pay_page(request, dossier, token, error=exc.message, status=409)
    url = payments.gateway_redirect_url(request, payment)
    if url is None:
        message = _("Online payment is not available at the moment. Please pay at the one-stop desk.")
        return _pay_page(request, dossier, token, error=message, status=503)
    return redirect(url)


@csrf_exempt
@never_cache
@require_GET
def ipn(request):
    """The gateway's server-to-server call: record the verdict, answer in VNPAY's JSON."""
    outcome = payments.record_result(request.GET, via="ipn")
    logger.info("VNPAY IPN for %s: %s", request.GET.get("vnp_TxnRef", "?"), outcome.answer[0])
    return JsonResponse(outcome.json())


@never_cache
@require_GET
def payment_return(request):
    """The payer is back from the gateway: verify, record if the IPN has not yet, show the result."""
    outcome = payments.record_result(request.GET, via="return")
    if not outcome.signature_valid:
        return _result_error(
            request,
            _("The payment result could not be verified"),
            _("The data sent back by the payment gateway is not correctly signed. Nothing was changed."),
        )
    if outcome.answer == vnpay.IPN_NOT_A_RESULT:
        return _result_error(
            request,
            _("The payment result could not be verified"),
            _("This address does not carry a result from the payment gateway. Nothing was changed."),
        )
    if outcome.payment is None or outcome.answer == vnpay.IPN_INVALID_AMOUNT:
        return _result_error(
            request,
            _("The payment result could not be verified"),
            _("This payment does not match any fee we asked for. Nothing was changed."),
        )
    payment = Payment.objects.select_related("dossier__service").get(pk=outcome.payment.pk)
    context = {
        "payment": payment,
        "dossier": payment.dossier,
        "amount": money(payment.amount),
        "reason": payments.response_message(payment.response_code or outcome.result.response_code),
        "retry_url": payments.pay_url(payment.dossier)
        if payment.dossier.status == DossierStatus.AWAITING_PAYMENT
        else "",
        "lookup_url": _lookup_url(),
    }
    return render(request, "onestop/payments/result.html", context)


def _result_error(request, title, message):
    context = {"title": title, "message": message, "lookup_url": _lookup_url()}
    return render(request, "onestop/payments/error.html", context, status=400)


urlpatterns = [
    path("thanh-toan/bat-dau", start, name="payment_start"),
    path("thanh-toan/vnpay/ipn", ipn, name="payment_ipn"),
    path("thanh-toan/vnpay/ket-qua", payment_return, name="payment_return"),
    path("thanh-toan/<str:code>/", pay, name="pay"),
    path("sandbox/vnpay/paymentv2/vpcpay.html", sandbox.vpcpay, name="sandbox_vnpay"),
]
