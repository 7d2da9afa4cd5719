"""The data every installation starts with (Decree 30/2020/NĐ-CP, Appendix III and Art. 13).

Loaded after every ``migrate`` (idempotent: rows are matched by code, an
administrator's edits are kept). Document types and their abbreviations,
and the signing authorities (TM., KT., Q., TL., TUQ.), are data: an
administrator adds or retires them in the admin, never in code.
"""

from __future__ import annotations

# (code, name, abbreviation); công văn has none (is_letter).
TYPES = [
    ("NQ", "Nghị quyết", "NQ"),
    ("QD", "Quyết định", "QĐ"),
    ("CT", "Chỉ thị", "CT"),
    ("QC", "Quy chế", "QC"),
    ("QYD", "Quy định", "QyĐ"),
    ("TC", "Thông cáo", "TC"),
    ("TB", "Thông báo", "TB"),
    ("HD", "Hướng dẫn", "HD"),
    ("CTR", "Chương trình", "CTr"),
    ("KH", "Kế hoạch", "KH"),
    ("PA", "Phương án", "PA"),
    ("DEA", "Đề án", "ĐA"),
    ("DA", "Dự án", "DA"),
    ("BC", "Báo cáo", "BC"),
    ("BB", "Biên bản", "BB"),
    ("TTR", "Tờ trình", "TTr"),
    ("HDO", "Hợp đồng", "HĐ"),
    ("CD", "Công điện", "CĐ"),
    ("BGN", "Bản ghi nhớ", "BGN"),
    ("BTT", "Bản thỏa thuận", "BTT"),
    ("GUQ", "Giấy ủy quyền", "GUQ"),
    ("GM", "Giấy mời", "GM"),
    ("GGT", "Giấy giới thiệu", "GGT"),
    ("GNP", "Giấy nghỉ phép", "GNP"),
    ("PG", "Phiếu gửi", "PG"),
    ("PC", "Phiếu chuyển", "PC"),
    ("PB", "Phiếu báo", "PB"),
]
LETTER = ("CV", "Công văn")

AUTHORITIES = [
    ("TM.", "Thay mặt (tập thể lãnh đạo)"),
    ("KT.", "Ký thay (cấp phó ký thay cấp trưởng)"),
    ("Q.", "Quyền (cấp phó được giao quyền)"),
    ("TL.", "Thừa lệnh"),
    ("TUQ.", "Thừa ủy quyền"),
]


def ensure_catalogue(**_kwargs) -> None:
    from documents.models import DocumentType, SigningAuthority

    known = set(DocumentType.objects.values_list("code", flat=True))
    new = [
        DocumentType(code=code, name=name, abbreviation=abbr, order=i)
        for i, (code, name, abbr) in enumerate(TYPES, start=2)
        if code not in known
    ]
    if LETTER[0] not in known:
        new.append(DocumentType(code=LETTER[0], name=LETTER[1], abbreviation="", is_letter=True, order=1))
    DocumentType.objects.bulk_create(new)
    known = set(SigningAuthority.objects.values_list("code", flat=True))
    SigningAuthority.objects.bulk_create(
        [
            SigningAuthority(code=code, name=name, order=i)
            for i, (code, name) in enumerate(AUTHORITIES)
            if code not in known
        ]
    )
