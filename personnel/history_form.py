"""The personal history form (sơ yếu lý lịch) as a PDF, in the prescribed layout.

The form is "Mẫu 2C". Its 2008 version, "Mẫu 2C-BNV/2008" (Decision
02/2008/QĐ-BNV, used under Circular 11/2012/TT-BNV for civil servants; public
employees used HS02-VC/BNV under Circular 07/2019/TT-BNV), was replaced from
20 June 2023 by the "Mẫu 2C" of Circular 06/2023/TT-BNV, one form for cadres,
civil servants and public employees: the managing and employing agencies,
the staff number and the personal identification number at the top; items
1-31 (identity, CCCD, social insurance, recruitment, party and army dates,
education, posts, salary, health, policy family); then the tables: II
training, III working history, IV personal history, V rewards and
discipline, VI family, VII salary history, VIII the agency's assessment;
the official's declaration and the head of the agency's signature and seal.

Which version a print uses is data with an effective date
(:data:`VERSIONS`); the date of printing picks it. The form carries the
sensitive section: ``personnel.views.pdf_view`` opens it through
``services.open_sensitive``, which writes the audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from personnel.models import FamilyMember, PersonnelFile, QualificationKind, SensitiveRecord
from portal import pdf
from portal.scoping import top_unit


@dataclass(frozen=True)
class FormVersion:
    code: str
    title: str
    staff: str  # how the form names the people it is for
    basis: str
    effective_from: date


VERSIONS = [
    FormVersion(
        "Mẫu 2C-BNV/2008",
        "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC",
        "cán bộ, công chức",
        "Quyết định 02/2008/QĐ-BNV; Thông tư 11/2012/TT-BNV",
        date(2008, 1, 1),
    ),
    FormVersion(
        "Mẫu 2C",
        "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        "cán bộ, công chức, viên chức",
        "Ban hành kèm theo Thông tư số 06/2023/TT-BNV của Bộ trưởng Bộ Nội vụ",
        date(2023, 6, 20),
    ),
]


def version_on(day: date) -> FormVersion:
    current = VERSIONS[0]
    for version in VERSIONS:
        if version.effective_from <= day:
            current = version
    return current


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _photo_and_header(file: PersonnelFile, version: FormVersion) -> Table:
    s = pdf.styles()
    photo = Table(
        [[pdf.para("Ảnh màu\n(4 x 6 cm)", "cell_center")]], colWidths=[30 * mm], rowHeights=[40 * mm]
    )
    photo.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.6, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    city = top_unit(file.unit)
    right = [
        pdf.field(f"Cơ quan quản lý {version.staff}", pdf.display_name(city), "small"),
        pdf.field(f"Cơ quan, đơn vị sử dụng {version.staff}", pdf.display_name(file.unit), "small"),
        pdf.field("Số hiệu", file.staff_number, "small"),
        pdf.field("Mã số định danh", file.id_number, "small"),
    ]
    code = pdf.markup(f"<b>{pdf.esc(version.code)}</b>", "small")
    note = pdf.para(version.basis, "small")
    grid = Table([[photo, [code, note, Spacer(1, 3 * mm), *right]]], colWidths=[36 * mm, pdf.WIDTH - 36 * mm])
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    del s
    return grid


def _salary_now(file: PersonnelFile) -> str:
    if not file.rank_id:
        return ""
    return (
        f"Ngạch/chức danh nghề nghiệp: {file.rank.name}, mã số: {file.rank.code}; bậc lương: {file.salary_step}, "
        f"hệ số: {file.coefficient}, ngày hưởng: {_d(file.step_since)}"
    )


def _items(file: PersonnelFile, record: SensitiveRecord) -> list:
    f = pdf.field
    born = file.birth_date
    birth = (
        f"năm {born.year}"
        if file.birth_year_only
        else f"ngày {born.day:02d} tháng {born.month:02d} năm {born.year}"
    )
    army = ""
    if record.enlisted_on:
        army = f"Ngày nhập ngũ: {_d(record.enlisted_on)}, ngày xuất ngũ: {_d(record.discharged_on)}, quân hàm cao nhất: {record.military_rank}"
    rows = [
        f("1) Họ và tên khai sinh (viết chữ in hoa)", file.full_name.upper()),
        f("2) Tên gọi khác", file.other_name),
        f("3) Sinh", f"{birth}, giới tính: {file.get_sex_display().lower()}"),
        f("4) Nơi sinh", file.birth_place),
        f("5) Quê quán", file.hometown),
        f("6) Dân tộc", file.ethnicity),
        f("7) Tôn giáo", file.religion),
        f("8) Số CCCD", f"{file.id_number} — ngày cấp: {_d(file.id_issued_on)} — SĐT liên hệ: {file.phone}"),
        f("9) Số BHXH", file.social_insurance_number),
        f("10) Nơi ở hiện nay", file.current_address or file.permanent_address),
        f("11) Thành phần gia đình xuất thân", record.family_background),
        f("12) Nghề nghiệp trước khi được tuyển dụng", file.occupation_before),
        f(
            "13) Ngày được tuyển dụng lần đầu",
            f"{_d(file.recruited_on)} — cơ quan, tổ chức, đơn vị tuyển dụng: {file.recruiting_agency}",
        ),
        f("14) Ngày vào cơ quan hiện đang công tác", _d(_joined_unit(file))),
        f(
            "15) Ngày vào Đảng Cộng sản Việt Nam",
            f"{_d(record.party_joined_on)} — ngày chính thức: {_d(record.party_official_on)}"
            if record.party_joined_on
            else "",
        ),
        f("16) Ngày tham gia tổ chức chính trị - xã hội", record.organisation_joined),
        f("17) Ngày nhập ngũ, xuất ngũ, quân hàm cao nhất", army),
        f("18) Trình độ giáo dục phổ thông", file.general_education),
        f("19) Trình độ chuyên môn cao nhất", file.get_education_display()),
        f("20) Lý luận chính trị", file.get_political_theory_display()),
        f("21) Quản lý nhà nước", file.get_state_management_display()),
        f("22) Chức vụ hiện tại", file.position),
        f("23) Công việc chính được giao", file.main_duties),
        f("24) Tiền lương", _salary_now(file)),
        f(
            "25) Tình trạng sức khỏe",
            f"{record.health} — chiều cao: {record.height_cm or ''} cm, cân nặng: {record.weight_kg or ''} kg, "
            f"nhóm máu: {record.blood_type}",
        ),
        f("26) Là thương binh hạng", record.war_invalid_grade),
        f("27) Là con gia đình chính sách", record.policy_family),
        f("28) Thư điện tử công vụ", file.official_email),
    ]
    return rows


def _joined_unit(file: PersonnelFile):
    first = None
    for position in file.positions.order_by("-start_date", "-id"):
        if position.unit_id != file.unit_id:
            break
        first = position.start_date
    return first


def _heading(text: str) -> list:
    return [Spacer(1, 4 * mm), pdf.markup(f"<b>{pdf.esc(text)}</b>", "field")]


def _month(day) -> str:
    return day.strftime("%m/%Y") if day else ""


def render(file: PersonnelFile, record: SensitiveRecord, today: date) -> bytes:
    """The PDF bytes of the personal history form of ``file`` as printed on ``today``."""
    version = version_on(today)
    story: list = [_photo_and_header(file, version), *pdf.title(version.title)]
    story += _items(file, record)

    story += _heading(
        "II. ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC"
    )
    rows = [
        [
            q.institution,
            f"{q.get_kind_display()}: {q.field or q.level}",
            f"{_month(q.start_date)} - {_month(q.end_date)}",
            q.mode,
            q.certificate or q.level,
        ]
        for q in file.qualifications.all()
        if q.kind in QualificationKind.values
    ]
    rows += [
        [t.institution, t.name, f"{_month(t.start_date)} - {_month(t.end_date)}", "Bồi dưỡng", t.certificate]
        for t in file.trainings.all()
    ]
    story.append(
        pdf.table(
            [
                "Tên trường",
                "Chuyên ngành đào tạo, bồi dưỡng",
                "Từ tháng, năm - đến tháng, năm",
                "Hình thức",
                "Văn bằng, chứng chỉ",
            ],
            rows or [["", "", "", "", ""]],
            [3, 3, 2, 1.5, 2],
            center_columns=(2,),
        )
    )

    story += _heading("III. TÓM TẮT QUÁ TRÌNH CÔNG TÁC")
    rows = [
        [
            f"{_month(p.start_date)} - {_month(p.end_date) or 'nay'}",
            f"{p.position}, {pdf.display_name(p.unit)}",
        ]
        for p in file.positions.select_related("unit").order_by("start_date", "id")
    ]
    story.append(
        pdf.table(["Từ tháng, năm đến tháng, năm", "Chức danh, chức vụ, đơn vị công tác"], rows, [1, 3])
    )

    story += _heading("IV. ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN")
    story.append(pdf.para(record.personal_history or "Không.", "field"))

    story += _heading("V. KHEN THƯỞNG, KỶ LUẬT")
    rewards = [[_month(r.awarded_on), f"{r.form}: {r.reason}", r.decided_by] for r in file.rewards.all()]
    story.append(
        pdf.table(
            ["Tháng/năm", "Nội dung và hình thức khen thưởng", "Cấp quyết định"],
            rewards or [["", "Không", ""]],
            [1, 3, 2],
        )
    )
    story.append(Spacer(1, 2 * mm))
    disciplines = [
        [f"{_month(d.start_date)} - {_month(d.end_date)}", d.violation, d.get_form_display(), d.decided_by]
        for d in file.disciplines.all()
    ]
    story.append(
        pdf.table(
            ["Từ tháng/năm đến tháng/năm", "Hành vi vi phạm chính", "Hình thức kỷ luật", "Cấp quyết định"],
            disciplines or [["", "Không", "", ""]],
            [1.3, 3, 1.5, 1.5],
        )
    )

    story += _heading("VI. QUAN HỆ GIA ĐÌNH")
    for side, label in (
        (FamilyMember.Side.OWN, "1. Về bản thân: cha, mẹ, vợ (hoặc chồng), các con, anh chị em ruột"),
        (FamilyMember.Side.SPOUSE, "2. Về bên vợ (hoặc chồng): cha, mẹ, anh chị em ruột"),
    ):
        story.append(pdf.para(label, "field"))
        rows = [
            [m.relation, m.full_name, m.birth_year or "", m.details] for m in file.family.filter(side=side)
        ]
        story.append(
            pdf.table(
                [
                    "Mối quan hệ",
                    "Họ và tên",
                    "Năm sinh",
                    "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, nơi ở",
                ],
                rows or [["", "", "", ""]],
                [1.2, 2, 0.8, 4],
                center_columns=(2,),
            )
        )

    story += _heading("VII. DIỄN BIẾN QUÁ TRÌNH LƯƠNG")
    salaries = list(file.salaries.select_related("rank").order_by("start_date", "id"))
    rows = []
    for index, s in enumerate(salaries):
        end = salaries[index + 1].start_date if index + 1 < len(salaries) else None
        rows.append(
            [f"{_month(s.start_date)} - {_month(end) or 'nay'}", s.rank.code, str(s.step), str(s.coefficient)]
        )
    story.append(
        pdf.table(
            ["Từ tháng/năm đến tháng/năm", "Mã số", "Bậc lương", "Hệ số lương"],
            rows or [["", "", "", ""]],
            [2, 1, 1, 1],
            center_columns=(1, 2, 3),
        )
    )

    story += _heading(
        f"VIII. NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG {version.staff.upper()}"
    )
    story += [pdf.DottedLine() for _ in range(3)]

    left = pdf.signature(
        ["Người khai"],
        file.full_name,
        note="Tôi xin cam đoan những lời khai trên đây là đúng sự thật\n(Ký tên, ghi rõ họ tên)",
    )
    right = [
        pdf.para(pdf.place_date(today), "place"),
        *pdf.signature(
            [f"Thủ trưởng cơ quan, đơn vị quản lý và sử dụng {version.staff}"], "", note="(Ký tên, đóng dấu)"
        ),
    ]
    story.append(pdf.side_by_side(left, right))
    return pdf.build(story, title=f"{version.title} - {file.full_name}", subject=version.code)
