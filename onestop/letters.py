"""PDF letters of the one-stop desk: forms 01-05 of Circular 01/2018/TT-VPCP, results, blank forms.

Each generator takes the dossier (or what the form is about) and returns
PDF bytes, built from the blocks of :mod:`portal.pdf`. The letters are legal
documents in Vietnamese whatever the user's language; everything printed
comes from the database (units, the city's name, the dossier, its history).

| form | function |
|---|---|
| 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả | :func:`receipt_pdf` |
| 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ | :func:`supplement_pdf` |
| 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ | :func:`rejection_pdf` (:func:`refusal_pdf` during processing) |
| 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả | :func:`apology_pdf` |
| 05 Phiếu kiểm soát quá trình giải quyết hồ sơ | :func:`control_sheet_pdf` |
| result of the service | :func:`result_pdf` |
| blank application form (tờ khai) | :func:`application_form_pdf` |
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from onestop.models import Channel, DossierFile, DossierStatus, RequiredDocument, Timeliness
from onestop.workflow import WorkflowError
from portal import pdf, workdays

DESK = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
DESK_SHORT = "Bộ phận Tiếp nhận và Trả kết quả"

RECEIPT = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
SUPPLEMENT = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
REJECTION = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
REFUSAL = "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ"
APOLOGY = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
CONTROL_SHEET = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
APPLICATION_FORM = "TỜ KHAI"

TIMELINESS = {Timeliness.EARLY: "Trước hạn", Timeliness.ON_TIME: "Đúng hạn", Timeliness.LATE: "Quá hạn"}
DOCUMENT_FORMS = {
    RequiredDocument.Form.ORIGINAL: "Bản chính",
    RequiredDocument.Form.COPY: "Bản sao",
    RequiredDocument.Form.CERTIFIED_COPY: "Bản sao chứng thực",
}

# The letters a dossier can have, by slug, with their titles (for download links).
TITLES = {
    "receipt": RECEIPT,
    "supplement": SUPPLEMENT,
    "rejection": REJECTION,
    "refusal": REFUSAL,
    "apology": APOLOGY,
    "control_sheet": CONTROL_SHEET,
    "result": "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
}


def available(dossier) -> list[str]:
    """Slugs of :data:`TITLES` that can be printed for ``dossier`` now."""
    slugs = []
    if dossier.code:
        slugs.append("receipt")
    if dossier.supplement_requests.exists():
        slugs.append("supplement")
    if dossier.status == DossierStatus.REJECTED:
        slugs.append("rejection")
    if dossier.status == DossierStatus.REFUSED:
        slugs.append("refusal")
    if dossier.rescheduled:
        slugs.append("apology")
    if dossier.received_at:
        slugs.append("control_sheet")
    if dossier.status in (DossierStatus.RESULT_READY, DossierStatus.RETURNED):
        slugs.append("result")
    return slugs


# --- shared pieces ------------------------------------------------------------------


def _desk_header(dossier, when) -> list:
    unit = dossier.receiving_unit
    return [pdf.national_header(pdf.formal_name(unit), DESK, place_line=pdf.place_date(when))]


def _unit_header(unit, when, number: str = "") -> list:
    upper, lower = pdf.issuer_lines(unit)
    return [pdf.national_header(upper, lower, number=number, place_line=pdf.place_date(when))]


def _request_text(dossier) -> str:
    summary = (dossier.request_summary or "").strip()
    return f"{dossier.service.name} ({summary})" if summary else dossier.service.name


def _applicant_fields(dossier, who: str = "Hồ sơ của") -> list:
    return [
        pdf.field(who, dossier.applicant_name),
        pdf.field("Địa chỉ", dossier.applicant_address),
        pdf.markup(
            f"Số điện thoại: {pdf.esc(dossier.applicant_phone)}"
            f"&nbsp;&nbsp;&nbsp;&nbsp;Email: {pdf.esc(dossier.applicant_email or '…………………')}",
            "field",
        ),
        pdf.field("Nội dung yêu cầu giải quyết", _request_text(dossier)),
    ]


def _code_line(dossier) -> list:
    return [pdf.markup(f"Mã hồ sơ: <b>{pdf.esc(dossier.code)}</b>", "center")]


def _due_at(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, workdays.OFFICE_CLOSES, tzinfo=workdays.TZ)


def _reason_paragraphs(text: str) -> list:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [pdf.para(f"- {line}", "indent") for line in lines] or [pdf.para("- ……………………", "indent")]


def _latest_event(dossier, *actions):
    return (
        dossier.events.filter(action__in=actions).select_related("actor", "unit").order_by("at", "id").last()
    )


def _person(user) -> str:
    return str(user) if user is not None else ""


def _head_titles(unit, deputy: bool = False) -> list[str]:
    """Signature titles of the head of ``unit`` (Decree 30: TM., KT.)."""
    lines: list[str] = []
    if pdf.is_committee(unit):
        lines.append("TM. ỦY BAN NHÂN DÂN")
        head = "CHỦ TỊCH"
    elif str(unit.name).strip().lower().startswith("phòng"):
        head = "TRƯỞNG PHÒNG"
    else:
        head = "THỦ TRƯỞNG CƠ QUAN"
    if deputy:
        return [*lines, f"KT. {head}", f"PHÓ {head}"]
    return [*lines, head]


def _is_deputy(user) -> bool:
    return bool(user is not None and (getattr(user, "position", "") or "").strip().lower().startswith("phó"))


def _author(unit) -> str:
    return pdf.display_name(unit)


# --- form 01 ------------------------------------------------------------------------


def _received_documents(dossier) -> list[list[str]]:
    """Rows (name, original/copy, quantity, note) of what the applicant handed in."""
    files = dossier.files.filter(kind=DossierFile.Kind.APPLICATION).order_by("uploaded_at", "id")
    attached: dict[int | None, list[str]] = defaultdict(list)
    for f in files:
        attached[f.required_document_id].append(f.original_name)
    rows = []
    for doc in dossier.service.documents.all():
        names = attached.pop(doc.pk, [])
        if names:
            note = "Bản điện tử: " + ", ".join(names)
        elif dossier.channel != Channel.ONLINE and doc.mandatory:
            note = "Bản giấy"
        else:
            continue
        rows.append([doc.name, DOCUMENT_FORMS.get(doc.form, doc.form), f"{doc.quantity:02d}", note])
    for names in attached.values():  # files not tied to a listed document
        for name in names:
            rows.append(["Tài liệu kèm theo", "—", "01", f"Bản điện tử: {name}"])
    return [[str(n), *row] for n, row in enumerate(rows, start=1)]


def _register_line(dossier) -> str:
    # The code ends in -YYMMDD-XXXX: the day's book and the order in it.
    parts = (dossier.code or "").rsplit("-", 2)
    book, number = (parts[1], parts[2]) if len(parts) == 3 else ("……", "……")
    return f"Vào Sổ theo dõi hồ sơ, Quyển số: {book}, Số thứ tự: {number}"


def _pickup_place(dossier) -> str:
    unit = dossier.receiving_unit
    place = f"{DESK_SHORT}, {pdf.display_name(unit)}"
    if unit.address:
        place += f", {unit.address}"
    if dossier.service.level >= 4:
        place += "; hoặc nhận kết quả trực tuyến trên Cổng dịch vụ công"
    return place


def receipt_pdf(dossier, lookup_url: str) -> bytes:
    """Form 01: receipt and appointment, with a QR code of ``lookup_url``."""
    if not dossier.code:
        raise WorkflowError(_("The dossier has not been submitted yet."))
    received = dossier.received_at or dossier.submitted_at
    provisional = dossier.received_at is None
    code_block = [
        *_code_line(dossier),
        pdf.para("(Liên: Giao người nộp hồ sơ)", "italic_center"),
    ]
    if provisional:
        code_block.append(
            pdf.para(
                "Hồ sơ nộp trực tuyến: ngày hẹn trả là tạm tính, được xác nhận khi hồ sơ được kiểm tra đầy đủ.",
                "italic_center",
            )
        )
    top = Table(
        [[code_block, pdf.qr_block(lookup_url, "Tra cứu hồ sơ", size=26 * mm)]],
        colWidths=[pdf.WIDTH - 34 * mm, 34 * mm],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    documents = _received_documents(dossier)
    story = [
        *_desk_header(dossier, received),
        *pdf.title(RECEIPT),
        top,
        Spacer(1, 3 * mm),
        pdf.para(
            f"{DESK_SHORT} {pdf.display_name(dossier.receiving_unit)} ({_channel_text(dossier)})",
            "field",
        ),
        *_applicant_fields(dossier, "Tiếp nhận hồ sơ của"),
        pdf.markup("1. Thành phần hồ sơ nộp gồm:", "field"),
        Spacer(1, 1.5 * mm),
        pdf.table(
            ["TT", "Tên giấy tờ", "Hình thức", "Số lượng", "Ghi chú"],
            documents or [["", "(Không có giấy tờ)", "", "", ""]],
            widths=[6, 52, 18, 11, 33],
            center_columns=(0, 2, 3),
        ),
        Spacer(1, 1.5 * mm),
        pdf.para("2. Số lượng hồ sơ: 01 (bộ)", "field"),
        pdf.para(
            f"3. Thời gian giải quyết hồ sơ theo quy định: {dossier.service.processing_days:02d} ngày làm việc",
            "field",
        ),
        pdf.para(f"4. Thời gian nhận hồ sơ: {pdf.vn_datetime(received)}", "field"),
        pdf.para(
            f"5. Thời gian trả kết quả giải quyết hồ sơ: {pdf.vn_datetime(_due_at(dossier.due_date))}",
            "field",
        ),
        pdf.para(f"6. Đăng ký nhận kết quả tại: {_pickup_place(dossier)}", "field"),
        Spacer(1, 2 * mm),
        pdf.para(_register_line(dossier), "italic"),
        pdf.side_by_side(
            pdf.signature("NGƯỜI NỘP HỒ SƠ", dossier.applicant_name),
            pdf.signature("NGƯỜI TIẾP NHẬN HỒ SƠ", _person(dossier.received_by)),
        ),
    ]
    return pdf.build(story, title=f"{RECEIPT} {dossier.code}", author=_author(dossier.receiving_unit))


def _channel_text(dossier) -> str:
    return {
        Channel.ONLINE: "nộp trực tuyến",
        Channel.DESK: "nộp trực tiếp",
        Channel.POST: "nộp qua dịch vụ bưu chính",
    }.get(dossier.channel, dossier.channel)


# --- form 02 ------------------------------------------------------------------------


def supplement_pdf(supplement_request) -> bytes:
    """Form 02: every missing item, listed once and in full, with its reason."""
    request = supplement_request
    dossier = request.dossier
    unit = request.unit
    at_desk = request.stage == request.Stage.DESK
    header = (
        _desk_header(dossier, request.requested_at) if at_desk else _unit_header(unit, request.requested_at)
    )
    asker = _person(request.requested_by)
    rows = [[str(n), item.get("name", ""), item.get("reason", "")] for n, item in enumerate(request.items, 1)]
    contact = pdf.display_name(unit) + (f", số điện thoại {unit.phone}" if unit.phone else "")
    story = [
        *header,
        *pdf.title(SUPPLEMENT),
        *_code_line(dossier),
        Spacer(1, 3 * mm),
        *_applicant_fields(dossier),
        pdf.field("Ngày nộp hồ sơ", pdf.short_date(dossier.received_at or dossier.submitted_at)),
        Spacer(1, 2 * mm),
        pdf.para(
            f"Sau khi kiểm tra, {DESK_SHORT if at_desk else pdf.display_name(unit)}"
            f" yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ gồm {len(rows)} nội dung sau:",
        ),
        Spacer(1, 1.5 * mm),
        pdf.table(["TT", "Nội dung cần bổ sung, hoàn thiện", "Lý do"], rows, widths=[6, 50, 64]),
        Spacer(1, 2 * mm),
    ]
    if (request.note or "").strip():
        story.append(pdf.field("Ghi chú", request.note.strip()))
    if not at_desk:
        story.append(
            pdf.para(
                "Thời gian giải quyết hồ sơ được tính lại từ đầu kể từ ngày nhận đủ hồ sơ bổ sung "
                "(Nghị định số 61/2018/NĐ-CP).",
                "italic",
            )
        )
    story += [
        pdf.para(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
            f"{contact} để được hướng dẫn."
        ),
        pdf.field("Người hướng dẫn", asker),
        pdf.side_by_side(
            pdf.recipients([dossier.applicant_name, f"Lưu: {DESK_SHORT}"]),
            pdf.signature("NGƯỜI HƯỚNG DẪN", asker),
            left_share=0.55,
        ),
    ]
    return pdf.build(story, title=f"{SUPPLEMENT} {dossier.code}", author=_author(unit))


# --- form 03 ------------------------------------------------------------------------


def rejection_pdf(dossier) -> bytes:
    """Form 03: the desk refuses to receive the dossier, with reasons."""
    event = _latest_event(dossier, "reject")
    when = dossier.decided_at or (event.at if event else None)
    officer = event.actor_name if event else ""
    story = [
        *_desk_header(dossier, when),
        *pdf.title(REJECTION),
        *_code_line(dossier),
        Spacer(1, 3 * mm),
        pdf.para(f"{DESK_SHORT} {pdf.display_name(dossier.receiving_unit)}", "field"),
        *_applicant_fields(dossier, "Tiếp nhận hồ sơ của"),
        pdf.field("Ngày nộp hồ sơ", pdf.short_date(dossier.submitted_at)),
        Spacer(1, 2 * mm),
        pdf.para(
            f"Qua xem xét, {DESK_SHORT} {pdf.display_name(dossier.receiving_unit)} thông báo không "
            "tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
        ),
        *_reason_paragraphs(dossier.result_note),
        pdf.para("Xin thông báo cho Ông/Bà được biết và thực hiện./."),
        pdf.side_by_side(
            pdf.recipients([dossier.applicant_name, f"Lưu: {DESK_SHORT}"]),
            pdf.signature("NGƯỜI TIẾP NHẬN", officer),
            left_share=0.55,
        ),
    ]
    return pdf.build(story, title=f"{REJECTION} {dossier.code}", author=_author(dossier.receiving_unit))


def refusal_pdf(dossier) -> bytes:
    """Form 03 adapted: the processing unit refuses an ineligible request, with reasons."""
    event = _latest_event(dossier, "refuse")
    unit = (event.unit if event and event.unit_id else None) or dossier.receiving_unit
    when = dossier.decided_at or (event.at if event else None)
    received = dossier.received_at or dossier.submitted_at
    story = [
        *_unit_header(unit, when),
        *pdf.title(REFUSAL),
        *_code_line(dossier),
        Spacer(1, 3 * mm),
        pdf.para(
            f"Ngày {pdf.short_date(received)}, {DESK_SHORT} {pdf.display_name(dossier.receiving_unit)} "
            f"tiếp nhận hồ sơ của Ông/Bà {dossier.applicant_name}."
        ),
        pdf.field("Địa chỉ", dossier.applicant_address),
        pdf.field("Nội dung yêu cầu giải quyết", _request_text(dossier)),
        Spacer(1, 2 * mm),
        pdf.para(
            f"Qua xem xét, {pdf.display_name(unit)} thông báo từ chối giải quyết hồ sơ của Ông/Bà "
            "với lý do cụ thể như sau:"
        ),
        *_reason_paragraphs(dossier.result_note),
    ]
    if event and event.actor_name:
        story.append(pdf.field("Cán bộ xử lý hồ sơ", event.actor_name))
    story += [
        pdf.para("Xin thông báo cho Ông/Bà được biết./."),
        _unit_closing(dossier, unit),
    ]
    return pdf.build(story, title=f"{REFUSAL} {dossier.code}", author=_author(unit))


def _letter_recipients(dossier) -> list[str]:
    """Nơi nhận of a letter from a processing unit: the applicant, the desk, the archive."""
    return [dossier.applicant_name, f"{DESK_SHORT} {pdf.display_name(dossier.receiving_unit)}", "Lưu: VT"]


def _unit_closing(dossier, unit):
    """The recipients beside the unit head's signature, closing a letter."""
    return pdf.side_by_side(
        pdf.recipients(_letter_recipients(dossier)),
        pdf.signature(_head_titles(unit), note="(Ký, ghi rõ họ tên và đóng dấu)"),
        left_share=0.55,
    )


# --- form 04 ------------------------------------------------------------------------


def apology_pdf(dossier) -> bytes:
    """Form 04: the late unit apologises and gives the new date (from the reschedule event)."""
    event = _latest_event(dossier, "reschedule")
    if event is None:
        raise WorkflowError(_("No new appointment date has been set for this dossier."))
    unit = event.unit if event.unit_id else dossier.receiving_unit
    old_due = date.fromisoformat(event.data["old_due_date"])
    new_due = date.fromisoformat(event.data["due_date"])
    name = pdf.display_name(unit)
    received = dossier.received_at or dossier.submitted_at
    story = [
        *_unit_header(unit, event.at),
        *pdf.title(APOLOGY),
        Spacer(1, 2 * mm),
        pdf.para(
            f"Ngày {pdf.short_date(received)}, {name} tiếp nhận giải quyết hồ sơ của "
            f"Ông/Bà {dossier.applicant_name}."
        ),
        pdf.field("Nội dung yêu cầu giải quyết", _request_text(dossier)),
        pdf.markup(f"Mã hồ sơ: <b>{pdf.esc(dossier.code)}</b>", "field"),
        pdf.field("Thời hạn giải quyết hồ sơ theo quy định", pdf.vn_datetime(_due_at(old_due))),
        Spacer(1, 2 * mm),
        pdf.para(f"Tuy nhiên đến nay, {name} chưa trả kết quả giải quyết hồ sơ của Ông/Bà."),
        pdf.markup("Lý do:", "field"),
        *_reason_paragraphs(event.note),
        pdf.markup(
            f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà, {pdf.esc(name)} xin lỗi Ông/Bà và sẽ trả "
            f"kết quả giải quyết hồ sơ cho Ông/Bà vào <b>{pdf.esc(pdf.vn_datetime(_due_at(new_due)))}</b>, "
            f"tại {pdf.esc(_pickup_place(dossier))}."
        ),
        pdf.para("Rất mong nhận được sự thông cảm của Ông/Bà vì sự chậm trễ này./."),
        _unit_closing(dossier, unit),
    ]
    return pdf.build(story, title=f"{APOLOGY} {dossier.code}", author=_author(unit))


# --- form 05 ------------------------------------------------------------------------


@dataclass
class HandOff:
    """One row of the control sheet."""

    giver: str
    receiver: str
    at: datetime | None
    due: date | None = None
    timeliness: str = ""
    giver_person: str = ""
    receiver_person: str = ""
    note: str = ""


def _judge(at: datetime, due: date | None) -> str:
    if due is None:
        return ""
    day = workdays.local(at).date()
    if day < due:
        return Timeliness.EARLY
    return Timeliness.ON_TIME if day == due else Timeliness.LATE


class _Replay:
    """Walks the dossier's history and collects every hand-off, in order."""

    ACTIONS = (
        "accept",
        "hand_over",
        "request_supplement_processing",
        "resume_processing",
        "reschedule",
        "approve",
        "refuse",
        "return_result",
    )
    PLANNED = "(Dự kiến)"

    def __init__(self, dossier):
        self.dossier = dossier
        self.desk = f"{DESK_SHORT} - {pdf.display_name(dossier.receiving_unit)}"
        self.applicant = f"Người nộp hồ sơ: {dossier.applicant_name}"
        self.via_desk = f"Người nộp hồ sơ (qua {DESK_SHORT})"
        self.steps = list(dossier.steps.select_related("unit", "assignee").order_by("order"))
        self.current = None  # the step holding the dossier
        self.rows: list[HandOff] = []

    def run(self) -> list[HandOff]:
        for event in self.dossier.events.filter(action__in=self.ACTIONS).order_by("at", "id"):
            getattr(self, f"on_{event.action}")(event)
        self.plan_rest()
        return self.rows

    def add(self, event, giver: str, receiver: str, **fields) -> None:
        self.rows.append(HandOff(giver, receiver, event.at, giver_person=event.actor_name, **fields))

    @staticmethod
    def name(step) -> str:
        return pdf.display_name(step.unit) if step is not None else ""

    def next_step(self, step):
        return next((s for s in self.steps if s.order > step.order), None) if step else None

    def on_accept(self, event):
        self.current = self.steps[0] if self.steps else None
        due = workdays.transfer_date(event.at)
        self.add(
            event,
            self.desk,
            self.name(self.current),
            due=due,
            timeliness=_judge(event.at, due),
            receiver_person=_person(self.current.assignee) if self.current else "",
            note="Chuyển hồ sơ giải quyết",
        )

    def on_hand_over(self, event):
        step = next((s for s in self.steps if s.order == event.data.get("step")), self.current)
        following = self.next_step(step)
        self.add(
            event,
            self.name(step),
            self.name(following) or event.data.get("to_unit", ""),
            due=step.due_date if step else None,
            timeliness=event.data.get("timeliness") or getattr(step, "timeliness", ""),
            receiver_person=_person(following.assignee) if following else "",
            note=event.note,
        )
        self.current = following

    def on_request_supplement_processing(self, event):
        self.add(event, self.name(self.current), self.via_desk, note="Yêu cầu bổ sung, hoàn thiện hồ sơ")

    def on_resume_processing(self, event):
        note = "Nhận đủ hồ sơ bổ sung; thời gian giải quyết tính lại từ đầu"
        if event.data.get("due_date"):
            note += f"; hẹn trả mới {pdf.short_date(date.fromisoformat(event.data['due_date']))}"
        self.add(event, self.via_desk, self.name(self.current), note=note)

    def on_reschedule(self, event):
        old, new = event.data.get("old_due_date"), event.data.get("due_date")
        note = "Xin lỗi, hẹn lại ngày trả kết quả"
        if new:
            note += f" {pdf.short_date(date.fromisoformat(new))}"
        if event.note:
            note += f". Lý do: {event.note}"
        self.add(
            event,
            self.name(self.current),
            self.desk,
            due=date.fromisoformat(old) if old else None,
            note=note,
        )

    def _finish(self, event, note: str) -> None:
        step, self.current = self.current, None
        due = step.due_date if step else None
        timeliness = (step.timeliness if step else "") or _judge(event.at, due)
        self.add(event, self.name(step), self.desk, due=due, timeliness=timeliness, note=note)

    def on_approve(self, event):
        self._finish(event, "Đã có kết quả giải quyết")

    def on_refuse(self, event):
        self._finish(event, "Từ chối giải quyết")

    def on_return_result(self, event):
        dossier = self.dossier
        self.add(
            event,
            self.desk,
            self.applicant,
            due=dossier.original_due_date or dossier.due_date,
            timeliness=event.data.get("timeliness") or dossier.timeliness,
            receiver_person=dossier.applicant_name,
            note="Trả kết quả",
        )

    def plan_rest(self) -> None:
        """Blank rows for the hand-offs still ahead, to fill in by hand."""
        if self.dossier.status not in (
            DossierStatus.PROCESSING,
            DossierStatus.AWAITING_APPROVAL,
            DossierStatus.SUPPLEMENT_REQUESTED,
            DossierStatus.RESULT_READY,
        ):
            return
        step = self.current
        while step is not None:
            following = self.next_step(step)
            receiver = self.name(following) or self.desk
            self.rows.append(HandOff(self.name(step), receiver, None, step.due_date, note=self.PLANNED))
            step = following
        self.rows.append(HandOff(self.desk, self.applicant, None, self.dossier.due_date, note=self.PLANNED))


def handoffs(dossier) -> list[HandOff]:
    """Every hand-off of the dossier so far, then the ones planned (for form 05)."""
    return _Replay(dossier).run()


def _handoff_row(n: int, row: HandOff) -> list:
    if row.at:
        local = workdays.local(row.at)
        at = f"{local:%H} giờ {local:%M}, ngày {pdf.short_date(local)}"
    else:
        at = "..... giờ ....., ngày ..../..../........"
    units = pdf.markup(f"<b>Giao:</b> {pdf.esc(row.giver)}<br/><b>Nhận:</b> {pdf.esc(row.receiver)}", "cell")
    signatures = pdf.markup(
        f"Người giao:<br/>{pdf.esc(row.giver_person)}<br/><br/>"
        f"Người nhận:<br/>{pdf.esc(row.receiver_person)}<br/>",
        "cell",
    )
    result = TIMELINESS.get(row.timeliness, row.timeliness) if row.at else ""
    return [
        str(n),
        units,
        at,
        pdf.short_date(row.due) if row.due else "—",
        result or ("—" if row.at else ""),
        row.note,
        signatures,
    ]


def control_sheet_pdf(dossier) -> bytes:
    """Form 05: every hand-off between units, with times, due dates and timeliness."""
    if not dossier.received_at:
        raise WorkflowError(_("The dossier has not been accepted for processing yet."))
    rows = handoffs(dossier)
    steps = list(dossier.steps.select_related("unit").order_by("order"))
    deciding = steps[-1].unit if steps else dossier.receiving_unit
    helpers = sorted({pdf.display_name(s.unit) for s in steps if s.unit_id != deciding.pk})
    story = [
        *_desk_header(dossier, dossier.received_at),
        *pdf.title(CONTROL_SHEET),
        *_code_line(dossier),
        pdf.para("(Liên: Lưu tại Bộ phận Tiếp nhận và Trả kết quả)", "italic_center"),
        Spacer(1, 3 * mm),
        pdf.field("Kèm theo hồ sơ của", dossier.applicant_name),
        pdf.field("Nội dung yêu cầu giải quyết", _request_text(dossier)),
        pdf.field("Ngày hẹn trả kết quả", pdf.vn_datetime(_due_at(dossier.due_date))),
        pdf.field("Cơ quan (bộ phận) giải quyết hồ sơ", pdf.display_name(deciding)),
        pdf.field("Cơ quan phối hợp giải quyết hồ sơ", "; ".join(helpers) or "Không"),
        Spacer(1, 2 * mm),
        pdf.table(
            [
                "TT",
                "Cơ quan, bộ phận giao và nhận hồ sơ",
                "Thời gian giao, nhận hồ sơ",
                "Hạn xử lý",
                "Kết quả (Trước hạn / Đúng hạn / Quá hạn)",
                "Ghi chú",
                "Ký giao, nhận",
            ],
            [_handoff_row(n, row) for n, row in enumerate(rows, 1)],
            widths=[8, 38, 25, 22, 20, 25, 27],
            center_columns=(0, 3, 4),
        ),
    ]
    return pdf.build(story, title=f"{CONTROL_SHEET} {dossier.code}", author=_author(dossier.receiving_unit))


# --- the result ---------------------------------------------------------------------


def _issuing_unit(dossier):
    last = dossier.steps.select_related("unit").order_by("order").last()
    return last.unit if last else dossier.receiving_unit


def result_pdf(dossier, signer=None) -> bytes:
    """The result document delivered to the applicant (online for level 4).

    ``signer`` is the approving leader; without it, the actor of the latest
    approval in the dossier's history.
    """
    if signer is None:
        event = _latest_event(dossier, "approve")
        signer = event.actor if event else None
    unit = _issuing_unit(dossier)
    service = dossier.service
    when = dossier.decided_at
    basis = [line.strip() for line in (service.legal_basis or "").splitlines() if line.strip()]
    decision = [line.strip() for line in (dossier.result_note or "").splitlines() if line.strip()]
    story = [
        *_unit_header(unit, when),
        *pdf.title((service.result_name or "KẾT QUẢ GIẢI QUYẾT HỒ SƠ").upper(), f"Mã hồ sơ: {dossier.code}"),
        *[pdf.para(f"Căn cứ {line.removeprefix('Căn cứ ').rstrip(';.')};", "italic") for line in basis],
        pdf.para(
            f"Xét hồ sơ đề nghị {service.name} của Ông/Bà {dossier.applicant_name}, "
            f"tiếp nhận {pdf.vn_date(dossier.received_at or dossier.submitted_at)} (mã hồ sơ {dossier.code}),",
            "field",
        ),
        pdf.markup(f"<b>{pdf.esc(pdf.formal_name(unit))}</b>", "center"),
        pdf.markup("<b>GIẢI QUYẾT NHƯ SAU:</b>", "center"),
        Spacer(1, 2 * mm),
        pdf.field("Người đề nghị", dossier.applicant_name),
        pdf.field("Số định danh cá nhân (CCCD)", dossier.applicant_id_number),
        pdf.field("Địa chỉ", dossier.applicant_address),
        pdf.field("Thủ tục", f"{service.code} - {service.name}"),
        pdf.markup("Nội dung giải quyết:", "field"),
        *[pdf.para(line, "indent") for line in (decision or ["Hồ sơ đã được giải quyết theo quy định."])],
        pdf.para(
            f"Ông/Bà {dossier.applicant_name} nhận kết quả tại {_pickup_place(dossier)}. "
            "Kết quả được tra cứu bằng mã hồ sơ hoặc mã QR trên văn bản này./."
        ),
        pdf.side_by_side(
            [
                *pdf.recipients(_letter_recipients(dossier)),
                Spacer(1, 4 * mm),
                *pdf.qr_block(dossier.code or "", f"Mã hồ sơ: {dossier.code}", size=24 * mm),
            ],
            pdf.signature(_head_titles(unit, deputy=_is_deputy(signer)), _person(signer), note=""),
            left_share=0.55,
        ),
    ]
    return pdf.build(story, title=f"{service.result_name} {dossier.code}", author=_author(unit))


# --- blank application form ---------------------------------------------------------


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def application_form_pdf(service, document=None) -> bytes:
    """A blank application (tờ khai) for ``service`` to print and fill in by hand."""
    if document is not None and document.service_id != service.pk:
        raise ValueError("the document does not belong to the service")
    heading = document.name.upper() if document is not None else APPLICATION_FORM
    units = [pdf.display_name(u) for u in service.receiving_units.all()]
    addressee = " / ".join(units) if 0 < len(units) <= 3 else ""
    fee = _money(service.fee) if service.fee else "Không"
    if service.fee_note:
        fee += f" ({service.fee_note})"
    docs = [
        [
            str(n),
            doc.name,
            DOCUMENT_FORMS.get(doc.form, doc.form),
            f"{doc.quantity:02d}",
            "Bắt buộc" if doc.mandatory else "Nếu có",
            "□",
        ]
        for n, doc in enumerate(service.documents.all(), 1)
    ]
    line = pdf.DottedLine
    story = [
        *pdf.motto_only(),
        *pdf.title(heading, f"Về việc: {service.name}"),
        pdf.markup(f"Kính gửi: <b>{pdf.esc(addressee)}</b>", "center") if addressee else line("Kính gửi:"),
        Spacer(1, 3 * mm),
        line("Họ và tên:"),
        line("Ngày, tháng, năm sinh:"),
        line("Số định danh cá nhân (CCCD):"),
        line("Nơi cư trú (địa chỉ):"),
        line("Số điện thoại:"),
        line("Thư điện tử (email):"),
        line("Nội dung đề nghị:"),
        line(),
        line(),
        line(),
        Spacer(1, 3 * mm),
        pdf.markup("<b>Giấy tờ kèm theo:</b>", "field"),
        Spacer(1, 1.5 * mm),
        pdf.table(
            ["TT", "Tên giấy tờ", "Hình thức", "Số lượng", "Ghi chú", "Đã nộp"],
            docs or [["", "(Không yêu cầu giấy tờ kèm theo)", "", "", "", ""]],
            widths=[6, 56, 20, 11, 14, 10],
            center_columns=(0, 2, 3, 4, 5),
        ),
        Spacer(1, 2 * mm),
        pdf.para(
            f"Thời gian giải quyết: {service.processing_days:02d} ngày làm việc. Phí, lệ phí: {fee}. "
            f"Kết quả: {service.result_name}.",
            "small",
        ),
        Spacer(1, 2 * mm),
        pdf.para(
            "Tôi xin cam đoan những thông tin trên là đúng sự thật và chịu trách nhiệm trước pháp luật "
            "về lời khai của mình."
        ),
        pdf.side_by_side(
            "",
            [pdf.para(f"…………………, {pdf.BLANK_DATE}", "place"), *pdf.signature("NGƯỜI LÀM ĐƠN")],
            left_share=0.4,
        ),
    ]
    return pdf.build(story, title=f"{heading} - {service.name}", subject=service.code)
