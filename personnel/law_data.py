"""The law's numbers as the first rows of data (a migration loads them; administrators edit them).

Sources, checked with the search tool (full texts cited where read; see the README):

- Labour Code 2019 (Bộ luật Lao động 45/2019/QH14) Art. 169(2) and Decree
  135/2020/NĐ-CP Art. 3-4 and Appendix I: the retirement-age roadmap, +3
  months a year for men from 60 years 3 months in 2021 to 62 in 2028, +4
  months a year for women from 55 years 4 months in 2021 to 60 in 2035;
  before 2021, 60 and 55 (Labour Code 2012 Art. 187).
- Decree 204/2004/NĐ-CP Table 2: the salary scales of civil servants and
  their coefficients; Art. 7 and Circular 08/2013/TT-BNV Art. 2(1)(a): a
  step is held 60 months (senior experts), 36 months (ranks requiring a
  college degree or higher), 24 months (intermediate or lower, support
  staff); Art. 2(3), amended by Circular 03/2021/TT-BNV: a discipline delays
  the raise by 6 months (reprimand, warning) or 12 months (heavier forms);
  Art. 3: an early raise at most 12 months before the regular date.
- Decree 170/2025/NĐ-CP Art. 62-63 (before 1 July 2025, Decree
  46/2010/NĐ-CP): written notice of the retirement date 6 months before it,
  the retirement decision 3 months before it.

Values marked "[open]" are the city's practice, not a legal text.
"""

from __future__ import annotations

from datetime import date

LABOUR_2012 = "Bộ luật Lao động 2012, Điều 187 (trước đó Bộ luật Lao động 1994, Điều 145)"
ROADMAP = "Bộ luật Lao động 2019, Điều 169 khoản 2; Nghị định 135/2020/NĐ-CP, Điều 4 và Phụ lục I"
INTERVAL = "Nghị định 204/2004/NĐ-CP, Điều 7; Thông tư 08/2013/TT-BNV, Điều 2 khoản 1 điểm a"
DELAY = "Thông tư 08/2013/TT-BNV, Điều 2 khoản 3 (sửa đổi bởi Thông tư 03/2021/TT-BNV)"
EARLY = "Thông tư 08/2013/TT-BNV, Điều 3 (nâng bậc lương trước thời hạn tối đa 12 tháng)"
SCALES = "Nghị định 204/2004/NĐ-CP, Bảng 2 (bảng lương chuyên môn, nghiệp vụ đối với cán bộ, công chức)"

# (name, effective from, value, unit, basis)
RULES = [
    ("step_interval.senior_expert", date(2004, 10, 1), 60, "months", INTERVAL),
    ("step_interval.college_or_higher", date(2004, 10, 1), 36, "months", INTERVAL),
    ("step_interval.intermediate_or_lower", date(2004, 10, 1), 24, "months", INTERVAL),
    ("step_delay.reprimand", date(2013, 9, 15), 6, "months", DELAY),
    ("step_delay.warning", date(2013, 9, 15), 6, "months", DELAY),
    ("step_delay.salary_demotion", date(2013, 9, 15), 12, "months", DELAY),
    ("step_delay.demotion", date(2013, 9, 15), 12, "months", DELAY),
    ("step_delay.dismissal", date(2013, 9, 15), 12, "months", DELAY),
    ("early_raise.max_months", date(2013, 9, 15), 12, "months", EARLY),
    (
        "reminder.retirement_notice_months",
        date(2010, 6, 15),
        6,
        "months",
        "Nghị định 46/2010/NĐ-CP, Điều 9 (thông báo thời điểm nghỉ hưu trước 06 tháng)",
    ),
    (
        "reminder.retirement_notice_months",
        date(2025, 7, 1),
        6,
        "months",
        "Nghị định 170/2025/NĐ-CP, Điều 62 (thông báo nghỉ hưu trước 06 tháng, Mẫu số 2)",
    ),
    (
        "reminder.retirement_decision_months",
        date(2010, 6, 15),
        3,
        "months",
        "Nghị định 46/2010/NĐ-CP, Điều 10 (quyết định nghỉ hưu trước 03 tháng)",
    ),
    (
        "reminder.retirement_decision_months",
        date(2025, 7, 1),
        3,
        "months",
        "Nghị định 170/2025/NĐ-CP, Điều 63 (quyết định nghỉ hưu trước 03 tháng, Mẫu số 3)",
    ),
    (
        "reminder.step_due_days",
        date(2013, 9, 15),
        60,
        "days",
        "[open] Thực tiễn của thành phố: xét nâng bậc trước ngày đến hạn (Thông tư 08/2013/TT-BNV, Điều 2)",
    ),
    (
        "reminder.contract_end_days",
        date(2021, 1, 1),
        30,
        "days",
        "[open] Thực tiễn của thành phố; Bộ luật Lao động 2019, Điều 20 khoản 2 (30 ngày sau khi hết hạn)",
    ),
    (
        "reminder.certificate_days",
        date(2021, 1, 1),
        30,
        "days",
        "[open] Thực tiễn của thành phố (sổ chứng thư số nhắc người giữ 30/7/1 ngày trước khi hết hạn)",
    ),
]

_MALE = [
    (2021, 60, 3),
    (2022, 60, 6),
    (2023, 60, 9),
    (2024, 61, 0),
    (2025, 61, 3),
    (2026, 61, 6),
    (2027, 61, 9),
]
_MALE += [(2028, 62, 0)]
_FEMALE = [(2021, 55, 4), (2022, 55, 8), (2023, 56, 0), (2024, 56, 4), (2025, 56, 8), (2026, 57, 0)]
_FEMALE += [(2027, 57, 4), (2028, 57, 8), (2029, 58, 0), (2030, 58, 4), (2031, 58, 8), (2032, 59, 0)]
_FEMALE += [(2033, 59, 4), (2034, 59, 8), (2035, 60, 0)]

# (sex, effective from, years, months, basis)
ROADMAP_ROWS = [
    ("male", date(1995, 1, 1), 60, 0, LABOUR_2012),
    ("female", date(1995, 1, 1), 55, 0, LABOUR_2012),
    *[("male", date(y, 1, 1), a, m, ROADMAP) for y, a, m in _MALE],
    *[("female", date(y, 1, 1), a, m, ROADMAP) for y, a, m in _FEMALE],
]

# (code, name, interval group, coefficients)
SCALE_ROWS = [
    (
        "A3.1",
        "Công chức loại A3, nhóm 1",
        "college_or_higher",
        ["6.20", "6.56", "6.92", "7.28", "7.64", "8.00"],
    ),
    (
        "A3.2",
        "Công chức loại A3, nhóm 2",
        "college_or_higher",
        ["5.75", "6.11", "6.47", "6.83", "7.19", "7.55"],
    ),
    (
        "A2.1",
        "Công chức loại A2, nhóm 1",
        "college_or_higher",
        ["4.40", "4.74", "5.08", "5.42", "5.76", "6.10", "6.44", "6.78"],
    ),
    (
        "A2.2",
        "Công chức loại A2, nhóm 2",
        "college_or_higher",
        ["4.00", "4.34", "4.68", "5.02", "5.36", "5.70", "6.04", "6.38"],
    ),
    (
        "A1",
        "Công chức loại A1",
        "college_or_higher",
        ["2.34", "2.67", "3.00", "3.33", "3.66", "3.99", "4.32", "4.65", "4.98"],
    ),
    (
        "A0",
        "Công chức loại A0",
        "college_or_higher",
        ["2.10", "2.41", "2.72", "3.03", "3.34", "3.65", "3.96", "4.27", "4.58", "4.89"],
    ),
    (
        "B",
        "Công chức loại B",
        "intermediate_or_lower",
        ["1.86", "2.06", "2.26", "2.46", "2.66", "2.86", "3.06", "3.26", "3.46", "3.66", "3.86", "4.06"],
    ),
    (
        "C1",
        "Công chức loại C, nhóm 1",
        "intermediate_or_lower",
        ["1.65", "1.83", "2.01", "2.19", "2.37", "2.55", "2.73", "2.91", "3.09", "3.27", "3.45", "3.63"],
    ),
]

RANK_BASIS = "Thông tư 2/2021/TT-BNV (ngạch hành chính, văn thư)"
# (code, name, scale, basis): a starting set; the Home Affairs office adds the ranks the city uses.
RANK_ROWS = [
    ("01.001", "Chuyên viên cao cấp", "A3.1", RANK_BASIS),
    ("01.002", "Chuyên viên chính", "A2.1", RANK_BASIS),
    ("01.003", "Chuyên viên", "A1", RANK_BASIS),
    ("01.004", "Cán sự", "A0", RANK_BASIS),
    ("01.005", "Nhân viên", "B", RANK_BASIS),
    ("02.006", "Văn thư viên chính", "A2.2", RANK_BASIS),
    ("02.007", "Văn thư viên", "A1", RANK_BASIS),
    ("02.008", "Văn thư viên trung cấp", "B", RANK_BASIS),
    ("04.025", "Thanh tra viên chính", "A2.1", "Thông tư 03/2021/TT-TTCP"),
    ("04.026", "Thanh tra viên", "A1", "Thông tư 03/2021/TT-TTCP"),
    ("06.031", "Kế toán viên", "A1", "Thông tư 29/2022/TT-BTC"),
    ("06.032", "Kế toán viên trung cấp", "B", "Thông tư 29/2022/TT-BTC"),
    ("V.07.04.32", "Giáo viên trung học cơ sở hạng III", "A1", "Thông tư 03/2021/TT-BGDĐT"),
    ("V.07.03.29", "Giáo viên tiểu học hạng III", "A1", "Thông tư 02/2021/TT-BGDĐT"),
    ("V.07.02.26", "Giáo viên mầm non hạng III", "A0", "Thông tư 01/2021/TT-BGDĐT"),
    ("V.08.01.03", "Bác sĩ", "A1", "Thông tư liên tịch 10/2015/TTLT-BYT-BNV"),
    ("NV.C1", "Nhân viên phục vụ (hợp đồng)", "C1", "Nghị định 111/2022/NĐ-CP; [open] mã của thành phố"),
]


def load(LegalRule, RetirementAge, SalaryScale, Rank) -> None:
    """Create or update the rows above (idempotent; models may be a migration's historical ones)."""
    for name, start, value, unit_label, basis in RULES:
        LegalRule.objects.update_or_create(
            name=name,
            effective_from=start,
            defaults={"value": value, "unit_label": unit_label, "basis": basis},
        )
    for sex, start, years, months, basis in ROADMAP_ROWS:
        RetirementAge.objects.update_or_create(
            sex=sex, effective_from=start, defaults={"years": years, "months": months, "basis": basis}
        )
    scales = {}
    for code, name, group, coefficients in SCALE_ROWS:
        scales[code], _ = SalaryScale.objects.update_or_create(
            code=code,
            defaults={"name": name, "interval_group": group, "coefficients": coefficients, "basis": SCALES},
        )
    for code, name, scale, basis in RANK_ROWS:
        Rank.objects.update_or_create(
            code=code, defaults={"name": name, "scale": scales[scale], "basis": basis}
        )
