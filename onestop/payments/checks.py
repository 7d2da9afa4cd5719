"""Deploy checks of online payment (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def payment_gateway(app_configs, **kwargs):
    from onestop import payments

    errors = []
    if payments.sandbox_enabled():
        errors.append(
            checks.Error(
                "The local sandbox payment gateway is on (PAYMENT_SANDBOX): anyone can 'pay' a fee "
                "without money moving.",
                hint="Set PAYMENT_SANDBOX=false, and VNPAY_PAYMENT_URL and VNPAY_HASH_SECRET for the real gateway.",
                id="onestop.E001",
            )
        )
    if payments.real_gateway_url() and not getattr(settings, "VNPAY_HASH_SECRET", ""):
        errors.append(
            checks.Error(
                "VNPAY_PAYMENT_URL is set but VNPAY_HASH_SECRET is not: no payment can be signed or checked.",
                hint="Set VNPAY_HASH_SECRET to the merchant secret the gateway gave you.",
                id="onestop.E002",
            )
        )
    return errors
