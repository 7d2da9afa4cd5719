"""The one-stop law as seed data: decrees, circulars and their forms (DOMAIN.md §1, §6).

Loaded by the migration ``0006_legal_regimes`` and, when those tables are
empty (a flushed test database), used in memory by :mod:`onestop.law`.
Afterwards these are rows that an administrator edits in the admin.

Sources: the titles of the 2025 forms were checked against a published
summary of Circular 03/2025/TT-VPCP Appendix I (forms 01-07, "from
15/9/2025"); the 2018 ones against Circular 01/2018/TT-VPCP. Marked [open]
below: what could not be confirmed and is therefore editable data.
"""

from datetime import date, time

REGIMES = [
    {
        "code": "nd-61-2018",
        "decree": "Nghị định số 61/2018/NĐ-CP",
        "decree_title": (
            "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, "
            "một cửa liên thông trong giải quyết thủ tục hành chính"
        ),
        "effective_from": date(2018, 6, 21),
        # {unit}: the unit's name ("Phường 1"); {committee}: its committee ("UBND Phường 1").
        "desk_name": "Bộ phận Tiếp nhận và Trả kết quả {committee}",
        "transfer_cutoff": time(15, 0),
        "supplement_window_days": 3,
        "supplement_requests_per_agency": 1,
        "supplement_rule": (
            "Thời gian giải quyết hồ sơ được tính lại từ đầu kể từ ngày nhận đủ hồ sơ bổ sung "
            "(Điều 19 Nghị định số 61/2018/NĐ-CP)."
        ),
        "allows_stop": False,
    },
    {
        "code": "nd-118-2025",
        "decree": "Nghị định số 118/2025/NĐ-CP",
        "decree_title": (
            "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về thực hiện thủ tục hành chính "
            "theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia"
        ),
        "effective_from": date(2025, 7, 1),
        # Provincial and commune centres (DOMAIN.md §6); a unit's own name is a DeskName row.
        "desk_name": "Trung tâm Phục vụ hành chính công {unit}",
        # [open] the 2025 time-counting and supplement details: the 2018 values until confirmed.
        "transfer_cutoff": time(15, 0),
        "supplement_window_days": 3,
        "supplement_requests_per_agency": 1,
        "supplement_rule": (
            "Thời gian giải quyết hồ sơ được tính lại từ đầu kể từ ngày nhận đủ hồ sơ bổ sung "
            "(Nghị định số 118/2025/NĐ-CP)."
        ),
        "allows_stop": True,
    },
]

FORM_SETS = [
    {
        "code": "tt-01-2018",
        "circular": "Thông tư số 01/2018/TT-VPCP",
        "effective_from": date(2018, 6, 21),
        "forms": [
            ("receipt", "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
            ("supplement", "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
            ("rejection", "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
            ("apology", "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
            ("control-sheet", "05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
            ("register", "06", "SỔ THEO DÕI HỒ SƠ"),
            ("refusal", "", "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ"),
            ("result", "", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ"),
        ],
    },
    {
        "code": "tt-03-2025",
        "circular": "Thông tư số 03/2025/TT-VPCP",
        # [open] the circular is dated 15/9/2025; its exact effective date was not confirmed.
        "effective_from": date(2025, 9, 15),
        "forms": [
            ("receipt", "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
            ("supplement", "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
            ("rejection", "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
            ("apology", "04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
            ("stop", "05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
            ("control-sheet", "06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
            ("register", "07", "SỔ THEO DÕI HỒ SƠ"),
            ("refusal", "", "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ"),
            ("result", "", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ"),
        ],
    },
]


def load(regime_model, form_set_model, form_model) -> None:
    """Insert the rows missing from the tables (by code); existing rows are left as edited."""
    for data in REGIMES:
        regime_model.objects.get_or_create(
            code=data["code"], defaults={k: v for k, v in data.items() if k != "code"}
        )
    for data in FORM_SETS:
        form_set, _created = form_set_model.objects.get_or_create(
            code=data["code"],
            defaults={"circular": data["circular"], "effective_from": data["effective_from"]},
        )
        for letter, number, title in data["forms"]:
            form_model.objects.get_or_create(
                form_set=form_set, letter=letter, defaults={"number": number, "title": title}
            )
