"""A citizen pays a level-4 fee online through the sandbox gateway, in Chromium.

The sandbox tells the portal the result the way VNPAY does: a signed
server-to-server IPN over real HTTP to the live server, then the browser's
redirect to the return page.
"""

import re

from playwright.sync_api import expect

from onestop import payments
from onestop.models import DossierStatus, Payment, PaymentStatus
from tests.onestop.factories import make_dossier


def open_gateway(page, live_server, dossier, axe_violations):
    page.goto(live_server.url + payments.pay_url(dossier))
    expect(page.get_by_role("heading", name="Thanh toán lệ phí trực tuyến")).to_be_visible()
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    expect(page.get_by_test_id("amount")).to_have_text("50.000 đồng")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sandbox/vnpay/paymentv2/vpcpay\.html\?.*vnp_SecureHash="))
    expect(page.get_by_test_id("amount")).to_have_text("50.000 đồng")
    expect(page.get_by_text(f"Thanh toan le phi ho so {dossier.code}")).to_be_visible()


def test_citizen_pays_the_fee_through_the_sandbox_gateway(page, live_server, cast, axe_violations):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    open_gateway(page, live_server, dossier, axe_violations)
    assert axe_violations(page) == []
    page.get_by_label("Ngân hàng").select_option("NCB")
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    expect(page).to_have_url(re.compile(r"/thanh-toan/vnpay/ket-qua\?"))
    expect(page.get_by_role("heading", name="Thanh toán thành công")).to_be_visible()
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    expect(page.get_by_role("link", name="Tra cứu hồ sơ")).to_be_visible()
    assert axe_violations(page) == []

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.payment_status == PaymentStatus.PAID
    payment = dossier.payments.get()
    assert payment.status == Payment.Status.PAID
    assert payment.bank_code == "NCB" and payment.amount == 50000
    assert payment.raw["received_via"] == "ipn"  # the sandbox's IPN reached the live server first


def test_cancelled_payment_can_be_tried_again(page, live_server, cast, axe_violations):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    open_gateway(page, live_server, dossier, axe_violations)
    page.get_by_role("button", name="Hủy giao dịch").click()

    expect(page.get_by_role("heading", name="Thanh toán không thành công")).to_be_visible()
    expect(page.get_by_text("Khách hàng đã hủy giao dịch.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    assert dossier.payments.get().status == Payment.Status.FAILED

    page.get_by_role("link", name="Thanh toán lại").click()
    expect(page.get_by_role("cell", name="Không thành công")).to_be_visible()
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.get_by_label("Ngân hàng").select_option("VIETCOMBANK")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.get_by_role("heading", name="Thanh toán thành công")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert sorted(dossier.payments.values_list("status", flat=True)) == ["failed", "paid"]
