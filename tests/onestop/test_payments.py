"""Online fee payment through the VNPAY protocol: signatures, the IPN rules, the return page, the sandbox."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.urls import reverse

from onestop import payments, services
from onestop.models import DossierEvent, DossierStatus, Payment, PaymentStatus
from onestop.payments import vnpay
from tests.onestop.factories import make_dossier

SECRET = "TESTSECRET0123456789ABCDEFGHIJKL"

# VNPAY's documented example request (its integration guide), as a dict.
EXAMPLE = {
    "vnp_Amount": "1806000",
    "vnp_Command": "pay",
    "vnp_CreateDate": "20210801153333",
    "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5",
    "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl",
    "vnp_TmnCode": "DEMOV210",
    "vnp_TxnRef": "5",
    "vnp_Version": "2.1.0",
}
# The same request's query string as VNPAY's guide prints it (sorted, quote_plus-encoded).
EXAMPLE_HASH_DATA = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND"
    "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5"
    "&vnp_Version=2.1.0"
)


def by_hand(data: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


@pytest.fixture
def awaiting(cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    return dossier


@pytest.fixture
def payment(awaiting):
    return services.start_payment(awaiting)


def gateway_result(payment, *, paid=True, amount=None, txn_ref=None, secret=None, **extra):
    """A result as the gateway signs it (the merchant's secret unless told otherwise)."""
    params = {
        "vnp_TmnCode": payments.tmn_code(),
        "vnp_TxnRef": txn_ref or payment.txn_ref,
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14831393" if paid else "",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan le phi ho so",
        "vnp_PayDate": "20250305143258",
        "vnp_ResponseCode": "00" if paid else "24",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TransactionNo": "14831393" if paid else "0",
        **extra,
    }
    return vnpay.signed(params, secret or payments.hash_secret())


def ipn(client, params):
    response = client.get(reverse("onestop:payment_ipn"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


# --- the protocol ---------------------------------------------------------------------------


def test_hash_data_and_signature_match_an_independent_computation():
    assert vnpay.hash_data(EXAMPLE) == EXAMPLE_HASH_DATA
    assert vnpay.sign(EXAMPLE, SECRET) == by_hand(EXAMPLE_HASH_DATA)
    assert len(vnpay.sign(EXAMPLE, SECRET)) == 128  # SHA-512 in hex
    # Key order does not matter; the hash fields and empty values are not signed.
    shuffled = dict(reversed(list(EXAMPLE.items())))
    extra = {**shuffled, "vnp_SecureHashType": "HmacSHA512", "vnp_BankCode": "", "other": "x"}
    assert vnpay.sign(extra, SECRET) == by_hand(EXAMPLE_HASH_DATA)


def test_verify_accepts_the_signed_params_and_rejects_tampering():
    params = {**EXAMPLE, "vnp_SecureHash": by_hand(EXAMPLE_HASH_DATA)}
    assert vnpay.verify(params, SECRET)
    assert vnpay.verify({**params, "vnp_SecureHash": params["vnp_SecureHash"].upper()}, SECRET)
    assert not vnpay.verify({**params, "vnp_Amount": "1806100"}, SECRET)
    assert not vnpay.verify({**params, "vnp_SecureHash": "0" * 128}, SECRET)
    assert not vnpay.verify(EXAMPLE, SECRET)  # no signature at all
    assert not vnpay.verify(params, "ANOTHERSECRET")


def test_payment_url_carries_every_protocol_field(client, settings, awaiting):
    """Every callback address is on PORTAL_BASE_URL, whatever Host the payer's request named."""
    settings.PORTAL_BASE_URL = "https://dichvucong.mytho.gov.vn"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]  # a host Django accepts, but not ours
    token = payments.payment_token(awaiting)
    moment = datetime(2025, 3, 5, 7, 30, 0, tzinfo=vnpay.GMT7)
    with time_machine.travel(moment, tick=False):
        response = client.post(
            reverse("onestop:payment_start"),
            {"dossier_code": awaiting.code, "token": token},
            HTTP_HOST="evil.example",
        )
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert (url.scheme, url.netloc) == ("https", "dichvucong.mytho.gov.vn")
    assert url.path == "/sandbox/vnpay/paymentv2/vpcpay.html"
    pairs = parse_qsl(url.query)
    params = dict(pairs)
    payment = awaiting.payments.get()
    assert params == {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": "MYTHO001",
        "vnp_Amount": "5000000",  # 50,000 VND times 100
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": payment.txn_ref,
        "vnp_OrderInfo": f"Thanh toan le phi ho so {awaiting.code}",
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": "https://dichvucong.mytho.gov.vn/thanh-toan/vnpay/ket-qua",
        "vnp_IpAddr": "127.0.0.1",
        "vnp_CreateDate": "20250305073000",
        "vnp_ExpireDate": "20250305074500",
        "vnp_SecureHash": params["vnp_SecureHash"],
    }
    # Signed over the sorted, encoded fields that precede the hash in the URL.
    assert [key for key, _value in pairs[:-1]] == sorted(key for key, _value in pairs[:-1])
    signed_part = url.query.rsplit("&vnp_SecureHash=", 1)[0]
    assert params["vnp_SecureHash"] == by_hand(signed_part, payments.hash_secret())


def test_sandbox_signs_with_a_secret_derived_from_the_secret_key(settings):
    derived = payments.hash_secret()
    assert len(derived) == 32 and derived != settings.SECRET_KEY[:32]
    assert payments.hash_secret() == derived  # stable
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert payments.hash_secret() != derived


def test_sandbox_never_signs_with_the_real_merchant_secret(settings):
    settings.VNPAY_HASH_SECRET = SECRET
    assert payments.sandbox_enabled()
    assert payments.hash_secret() == payments.sandbox_secret() != SECRET
    settings.VNPAY_PAYMENT_URL = "https://pay.vnpay.vn/vpcpay.html"
    assert not payments.sandbox_enabled()  # never on beside a real gateway
    assert payments.hash_secret() == SECRET


def test_sandbox_is_off_unless_switched_on(settings):
    del settings.PAYMENT_SANDBOX
    assert not payments.sandbox_enabled() and payments.gateway_url() is None
    settings.PAYMENT_SANDBOX = True
    assert payments.sandbox_enabled()


# --- the IPN ---------------------------------------------------------------------------------


def test_ipn_confirms_the_payment_and_submits_the_dossier(client, payment):
    answer = ipn(client, gateway_result(payment))
    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    dossier = payment.dossier
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.payment_status == PaymentStatus.PAID
    assert payment.status == Payment.Status.PAID
    assert payment.paid_at is not None
    assert (payment.provider_txn_no, payment.bank_code, payment.response_code) == ("14831393", "NCB", "00")
    assert payment.raw["vnp_PayDate"] == "20250305143258"
    assert payment.raw["received_via"] == "ipn"
    event = dossier.events.last()
    assert (event.action, event.from_status, event.to_status) == (
        "confirm_payment",
        DossierStatus.AWAITING_PAYMENT,
        DossierStatus.SUBMITTED,
    )


def test_repeated_ipn_answers_already_confirmed_and_changes_nothing(client, payment):
    params = gateway_result(payment)
    assert ipn(client, params)["RspCode"] == "00"
    payment.refresh_from_db()
    paid_at, events = payment.paid_at, DossierEvent.objects.count()
    assert ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    # Even a contradicting (failed) second verdict changes nothing.
    assert ipn(client, gateway_result(payment, paid=False))["RspCode"] == "02"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.paid_at == paid_at
    assert DossierEvent.objects.count() == events


def test_ipn_with_a_tampered_amount_or_signature_answers_97(client, payment):
    tampered = {**gateway_result(payment), "vnp_Amount": "100"}
    assert ipn(client, tampered) == {"RspCode": "97", "Message": "Invalid signature"}
    forged = gateway_result(payment, secret="NOT-THE-MERCHANT-SECRET")
    assert ipn(client, forged)["RspCode"] == "97"
    assert ipn(client, {"vnp_TxnRef": payment.txn_ref})["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.dossier.status == DossierStatus.AWAITING_PAYMENT


def test_ipn_with_the_wrong_amount_answers_04(client, payment):
    answer = ipn(client, gateway_result(payment, amount=payment.amount - 1000))
    assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    payment.refresh_from_db()
    payment.dossier.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.dossier.status == DossierStatus.AWAITING_PAYMENT


def test_ipn_for_an_unknown_order_answers_01(client, payment):
    answer = ipn(client, gateway_result(payment, txn_ref="999999999"))
    assert answer == {"RspCode": "01", "Message": "Order not found"}


def test_failed_payment_leaves_the_dossier_awaiting_payment_and_allows_a_new_attempt(client, payment):
    assert ipn(client, gateway_result(payment, paid=False))["RspCode"] == "00"
    payment.refresh_from_db()
    dossier = payment.dossier
    dossier.refresh_from_db()
    assert payment.status == Payment.Status.FAILED and payment.response_code == "24"
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    assert dossier.payment_status == PaymentStatus.PENDING
    token = payments.payment_token(dossier)
    response = client.post(reverse("onestop:payment_start"), {"dossier_code": dossier.code, "token": token})
    assert response.status_code == 302
    second = dossier.payments.get(status=Payment.Status.PENDING)
    assert second.txn_ref != payment.txn_ref
    assert dict(parse_qsl(urlsplit(response["Location"]).query))["vnp_TxnRef"] == second.txn_ref
    assert ipn(client, gateway_result(second))["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_ipn_for_a_dossier_no_longer_awaiting_payment_is_a_clean_99(client, payment):
    # A stray second payment row for a dossier that another payment has already settled.
    stray = Payment.objects.create(dossier=payment.dossier, txn_ref="STRAY0001", amount=payment.amount)
    assert ipn(client, gateway_result(payment))["RspCode"] == "00"
    assert ipn(client, gateway_result(stray)) == {"RspCode": "99", "Message": "Unknown error"}
    stray.refresh_from_db()
    assert stray.status == Payment.Status.PENDING


def test_ipn_only_answers_get(client):
    assert client.post(reverse("onestop:payment_ipn")).status_code == 405


# --- the citizen's pages ----------------------------------------------------------------------


def test_pay_page_shows_the_amount_due_with_a_valid_token(client, awaiting):
    response = client.get(payments.pay_url(awaiting))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Thanh toán lệ phí trực tuyến" in text
    assert awaiting.code in text and "50.000 đồng" in text
    assert reverse("onestop:payment_start") in text


@pytest.mark.parametrize("case", ["missing", "forged", "other dossier", "expired"])
def test_pay_page_and_start_refuse_a_bad_token(client, cast, awaiting, case):
    other = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    token = {
        "missing": "",
        "forged": payments.payment_token(awaiting)[:-2] + "xx",
        "other dossier": payments.payment_token(other),
        "expired": payments.payment_token(awaiting),
    }[case]
    later = datetime.now(tz=vnpay.GMT7) + (timedelta(hours=25) if case == "expired" else timedelta())
    with time_machine.travel(later):
        page = client.get(reverse("onestop:pay", args=[awaiting.code]), {"t": token})
        start = client.post(reverse("onestop:payment_start"), {"dossier_code": awaiting.code, "token": token})
    for response in (page, start):
        assert response.status_code == 403
        assert "Liên kết thanh toán không hợp lệ" in response.content.decode()
    assert not awaiting.payments.exists()


def test_start_for_a_paid_dossier_is_refused_cleanly(client, payment):
    ipn(client, gateway_result(payment))
    dossier = payment.dossier
    response = client.post(
        reverse("onestop:payment_start"),
        {"dossier_code": dossier.code, "token": payments.payment_token(dossier)},
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Hồ sơ này không ở trạng thái chờ thanh toán." in text
    assert "Lệ phí của hồ sơ này đã được thanh toán" in text
    assert dossier.payments.count() == 1


def test_start_without_a_gateway_says_so(client, settings, awaiting):
    settings.PAYMENT_SANDBOX = False
    response = client.post(
        reverse("onestop:payment_start"),
        {"dossier_code": awaiting.code, "token": payments.payment_token(awaiting)},
    )
    assert response.status_code == 503
    assert "Hiện chưa thể thanh toán trực tuyến" in response.content.decode()


def test_start_uses_the_configured_gateway(client, settings, awaiting):
    settings.VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_TMN_CODE = "DEMOV210"
    response = client.post(
        reverse("onestop:payment_start"),
        {"dossier_code": awaiting.code, "token": payments.payment_token(awaiting)},
    )
    assert response["Location"].startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=")
    assert dict(parse_qsl(urlsplit(response["Location"]).query))["vnp_TmnCode"] == "DEMOV210"


def test_return_page_with_a_bad_signature_shows_an_error_and_changes_nothing(client, payment):
    tampered = {**gateway_result(payment), "vnp_ResponseCode": "00", "vnp_Amount": "100"}
    response = client.get(reverse("onestop:payment_return"), tampered)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Không xác thực được kết quả thanh toán" in text
    assert "Thanh toán thành công" not in text
    payment.refresh_from_db()
    payment.dossier.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.dossier.status == DossierStatus.AWAITING_PAYMENT


def test_return_page_after_the_ipn_shows_success_without_recording_twice(client, payment):
    params = gateway_result(payment)
    ipn(client, params)
    events = DossierEvent.objects.count()
    response = client.get(reverse("onestop:payment_return"), params)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Thanh toán thành công" in text and payment.dossier.code in text
    assert "Tra cứu hồ sơ" in text
    assert DossierEvent.objects.count() == events
    payment.refresh_from_db()
    assert payment.raw["received_via"] == "ipn"


def test_return_page_records_the_result_when_the_ipn_never_arrived(client, payment):
    response = client.get(reverse("onestop:payment_return"), gateway_result(payment))
    assert "Thanh toán thành công" in response.content.decode()
    payment.refresh_from_db()
    payment.dossier.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.raw["received_via"] == "return"
    assert payment.dossier.status == DossierStatus.SUBMITTED
    # The late IPN is then told the order is already confirmed.
    assert ipn(client, gateway_result(payment))["RspCode"] == "02"


def test_return_page_after_a_cancelled_payment_offers_a_new_attempt(client, payment):
    response = client.get(reverse("onestop:payment_return"), gateway_result(payment, paid=False))
    text = response.content.decode()
    assert "Thanh toán không thành công" in text
    assert "Khách hàng đã hủy giao dịch" in text
    assert "Thanh toán lại" in text and reverse("onestop:pay", args=[payment.dossier.code]) in text


def test_return_page_for_a_wrong_amount_changes_nothing(client, payment):
    response = client.get(reverse("onestop:payment_return"), gateway_result(payment, amount=1))
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


# --- the sandbox gateway ------------------------------------------------------------------------


def gateway_request(client, awaiting):
    response = client.post(
        reverse("onestop:payment_start"),
        {"dossier_code": awaiting.code, "token": payments.payment_token(awaiting)},
    )
    return dict(parse_qsl(urlsplit(response["Location"]).query))


def test_sandbox_shows_the_order_of_a_correctly_signed_request(client, awaiting):
    params = gateway_request(client, awaiting)
    response = client.get(reverse("onestop:sandbox_vnpay"), params)
    assert response.status_code == 200
    text = response.content.decode()
    assert "50.000 đồng" in text and params["vnp_TxnRef"] in text and "MYTHO001" in text
    assert "Hủy giao dịch" in text and "Ngân hàng Quốc Dân (NCB)" in text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"vnp_Amount": "100"}, "Sai chữ ký"),
        ({"vnp_SecureHash": "ab" * 64}, "Sai chữ ký"),
        ({"vnp_TmnCode": "OTHER001"}, "vnp_TmnCode"),
    ],
)
def test_sandbox_refuses_a_bad_request(client, awaiting, change, message):
    params = {**gateway_request(client, awaiting), **change}
    response = client.get(reverse("onestop:sandbox_vnpay"), params)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Giao dịch bị từ chối" in text and message in text
    post = client.post(reverse("onestop:sandbox_vnpay"), {**params, "action": "pay", "bank_code": "NCB"})
    assert post.status_code == 400
    assert awaiting.payments.get().status == Payment.Status.PENDING


def test_sandbox_refuses_an_expired_request(client, awaiting):
    params = gateway_request(client, awaiting)
    with time_machine.travel(datetime.now(tz=vnpay.GMT7) + timedelta(minutes=16)):
        response = client.get(reverse("onestop:sandbox_vnpay"), params)
    assert response.status_code == 400
    assert "Đã hết thời gian chờ thanh toán" in response.content.decode()


def test_sandbox_is_off_when_payment_sandbox_is_false(client, settings, awaiting):
    params = gateway_request(client, awaiting)
    settings.PAYMENT_SANDBOX = False
    assert client.get(reverse("onestop:sandbox_vnpay"), params).status_code == 404


def test_sandbox_asks_for_a_bank_before_paying(client, awaiting):
    params = gateway_request(client, awaiting)
    response = client.post(reverse("onestop:sandbox_vnpay"), {**params, "action": "pay"})
    assert response.status_code == 400
    assert "Vui lòng chọn ngân hàng" in response.content.decode()


@pytest.mark.parametrize("action", ["pay", "cancel"])
def test_sandbox_sends_the_ipn_over_http_and_redirects_back(client, settings, live_server, cast, action):
    awaiting = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    settings.VNPAY_IPN_URL = live_server.url + reverse("onestop:payment_ipn")
    params = gateway_request(client, awaiting)
    response = client.post(reverse("onestop:sandbox_vnpay"), {**params, "action": action, "bank_code": "NCB"})
    assert response.status_code == 302
    back = urlsplit(response["Location"])
    assert back.path == reverse("onestop:payment_return")
    result = dict(parse_qsl(back.query))
    assert vnpay.verify(result, payments.hash_secret())
    assert result["vnp_TxnRef"] == params["vnp_TxnRef"] and result["vnp_Amount"] == "5000000"
    payment = awaiting.payments.get()
    awaiting.refresh_from_db()
    assert payment.raw["received_via"] == "ipn"  # recorded by the IPN, before the browser came back
    if action == "pay":
        assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"]) == ("00", "00")
        assert payment.status == Payment.Status.PAID and payment.bank_code == "NCB"
        assert payment.provider_txn_no == result["vnp_TransactionNo"]
        assert awaiting.status == DossierStatus.SUBMITTED
    else:
        assert (result["vnp_ResponseCode"], result["vnp_TransactionStatus"]) == ("24", "02")
        assert payment.status == Payment.Status.FAILED
        assert awaiting.status == DossierStatus.AWAITING_PAYMENT


def test_sandbox_with_an_unreachable_merchant_still_sends_the_payer_back(client, settings, awaiting):
    settings.VNPAY_IPN_URL = "http://127.0.0.1:9/thanh-toan/vnpay/ipn"  # nothing listens there
    params = gateway_request(client, awaiting)
    response = client.post(reverse("onestop:sandbox_vnpay"), {**params, "action": "pay", "bank_code": "NCB"})
    assert response.status_code == 302
    assert awaiting.payments.get().status == Payment.Status.PENDING
    page = client.get(response["Location"])  # the return page records it instead
    assert "Thanh toán thành công" in page.content.decode()
    payment = awaiting.payments.get()
    assert payment.status == Payment.Status.PAID and payment.raw["received_via"] == "return"


def test_start_with_a_real_gateway_but_no_secret_says_so(client, settings, awaiting):
    settings.VNPAY_PAYMENT_URL = "https://pay.vnpay.vn/vpcpay.html"
    settings.VNPAY_HASH_SECRET = ""
    response = client.post(
        reverse("onestop:payment_start"),
        {"dossier_code": awaiting.code, "token": payments.payment_token(awaiting)},
    )
    assert response.status_code == 503


# --- a result is a result: the signed request is not one ------------------------------------


@pytest.mark.parametrize("channel", ["payment_return", "payment_ipn"])
def test_the_signed_request_from_the_address_bar_is_not_a_result(client, awaiting, channel):
    """The payer copies the gateway URL's query onto the return (or IPN) address.

    Before the fix it verified (same secret), was read as a failed payment,
    and the genuine "paid" IPN that followed was refused as already confirmed.
    """
    request_params = gateway_request(client, awaiting)
    payment = awaiting.payments.get()
    response = client.get(reverse(f"onestop:{channel}"), request_params)
    if channel == "payment_ipn":
        assert response.json() == {"RspCode": "99", "Message": "Invalid request"}
    else:
        assert response.status_code == 400
        assert "Không xác thực được kết quả thanh toán" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    # The genuine verdict that follows is recorded: the fee is paid.
    assert ipn(client, gateway_result(payment))["RspCode"] == "00"
    awaiting.refresh_from_db()
    assert awaiting.payment_status == PaymentStatus.PAID and awaiting.status == DossierStatus.SUBMITTED


@pytest.mark.parametrize("missing", ["vnp_ResponseCode", "vnp_TransactionNo", "vnp_TransactionStatus"])
def test_a_result_without_its_result_fields_is_refused(client, payment, missing):
    params = {key: value for key, value in gateway_result(payment).items() if key != missing}
    params = vnpay.signed(params, payments.hash_secret())  # correctly signed, but incomplete
    assert ipn(client, params) == {"RspCode": "99", "Message": "Invalid request"}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_result_with_request_fields_is_refused(client, payment):
    params = vnpay.signed({**gateway_result(payment), "vnp_Command": "pay"}, payments.hash_secret())
    assert ipn(client, params)["RspCode"] == "99"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_deploy_check_errors_while_the_sandbox_is_on(settings):
    from onestop.payments.checks import payment_gateway

    assert [e.id for e in payment_gateway(None)] == ["onestop.E001"]
    settings.PAYMENT_SANDBOX = False
    assert payment_gateway(None) == []
    settings.VNPAY_PAYMENT_URL = "https://pay.vnpay.vn/vpcpay.html"
    assert [e.id for e in payment_gateway(None)] == ["onestop.E002"]
    settings.VNPAY_HASH_SECRET = SECRET
    assert payment_gateway(None) == []
