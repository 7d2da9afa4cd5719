"""PDF letters of the one-stop desk, and the one registry of them (:data:`REGISTRY`).

Each generator takes the dossier (or what the form is about) and returns
PDF bytes, built from the blocks of :mod:`portal.pdf`. The letters are legal
documents in Vietnamese whatever the user's language; everything printed
comes from the database: units, the desk's name (:class:`onestop.models.DeskName`
or the regime's pattern), the form's number and title (the form set in force
when the dossier was received, :mod:`onestop.law`), the dossier and its history.

| letter (slug) | Circular 01/2018 | Circular 03/2025 | function |
|---|---|---|---|
| receipt | 01 | 01 | :func:`receipt_pdf` |
| supplement | 02 | 02 | :func:`supplement_pdf` |
| rejection | 03 | 03 | :func:`rejection_pdf` (:func:`refusal_pdf` during processing) |
| apology | 04 xin lỗi, hẹn lại | 04 xin lỗi, đề nghị gia hạn | :func:`apology_pdf` |
| stop | — | 05 thông báo dừng | :func:`stop_pdf` |
| control-sheet | 05 | 06 | :func:`control_sheet_pdf` |
| register (per desk, period) | 06 | 07 | :func:`register_pdf` |
| result of the service | | | :func:`result_pdf` |
| blank application form (tờ khai) | | | :func:`application_form_pdf` |

The staff pages (``onestop.views.staff``) and the citizen look-up
(``onestop.views.lookup``) both list and serve letters through
:func:`available`, :func:`find`, :func:`render` and :func:`file_name`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from onestop import law
from onestop.models import Channel, DossierFile, DossierStatus, RequiredDocument, Timeliness
from onestop.workflow import WorkflowError
from portal import pdf, workdays

APPLICATION_FORM = "TỜ KHAI"

TIMELINESS = {Timeliness.EARLY: "Trước hạn", Timeliness.ON_TIME: "Đúng hạn", Timeliness.LATE: "Quá hạn"}
DOCUMENT_FORMS = {
    RequiredDocument.Form.ORIGINAL: "Bản chính",
    RequiredDocument.Form.COPY: "Bản sao",
    RequiredDocument.Form.CERTIFIED_COPY: "Bản sao chứng thực",
}

# --- shared pieces ------------------------------------------------------------------


def _prose(dossier, letter: str, **context) -> dict[str, str]:
    """The letter's legal prose, from ``templates/onestop/letters/<form set>/<letter>.txt`` when the
    dossier's form set words it its own way, else ``templates/onestop/letters/<letter>.txt``.

    The template holds sections, each starting with a ``== name ==`` line;
    whitespace inside a section collapses (a paragraph may wrap in the file).
    Deployers adapt the wording by overriding the template, not the code.
    """
    form_set = law.form_set_code_on(law.reception_day(dossier))
    names = [f"onestop/letters/{form_set}/{letter}.txt", f"onestop/letters/{letter}.txt"]
    text = render_to_string(names, context)
    sections: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        match = _SECTION.match(line)
        if match:
            name = match.group(1)
            sections[name] = ""
        elif name is not None:
            sections[name] = f"{sections[name]} {line}".strip()
    return {key: " ".join(value.split()) for key, value in sections.items()}


_SECTION = re.compile(r"^== ([a-z_]+) ==\s*$")


def _desk(dossier) -> str:
    """The receiving desk's full name under the dossier's regime (data: ``onestop.law``)."""
    return law.dossier_desk(dossier)


def _title(dossier, letter: str) -> list:
    """The form's printed title and number, from the form set in force when the dossier was received."""
    number, text = _form(dossier, letter)
    note = f"(Mẫu số {number} - {law.form_set_on(law.reception_day(dossier))})" if number else ""
    return pdf.title(text, note=note)


def _form(dossier, letter: str) -> tuple[str, str]:
    found = law.form(dossier, letter)
    if found is None:
        raise WorkflowError(
            _("This form does not exist under the rules in force when the dossier was received.")
        )
    return found


def _desk_header(dossier, when) -> list:
    """The issuing body in full: the committee above, the desk's own full name below."""
    unit = dossier.receiving_unit
    return [
        pdf.national_header(pdf.formal_name(unit), _desk(dossier).upper(), place_line=pdf.place_date(when))
    ]


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
    place = _desk(dossier)
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
        *_title(dossier, "receipt"),
        top,
        Spacer(1, 3 * mm),
        pdf.para(
            f"{_desk(dossier)} ({_channel_text(dossier)})",
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
    return pdf.build(
        story, title=f"{_form(dossier, 'receipt')[1]} {dossier.code}", author=_author(dossier.receiving_unit)
    )


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
    prose = _prose(
        dossier,
        "supplement",
        issuer=_desk(dossier) if at_desk else pdf.display_name(unit),
        count=len(rows),
        contact=contact,
    )
    story = [
        *header,
        *_title(dossier, "supplement"),
        *_code_line(dossier),
        Spacer(1, 3 * mm),
        *_applicant_fields(dossier),
        pdf.field("Ngày nộp hồ sơ", pdf.short_date(dossier.received_at or dossier.submitted_at)),
        Spacer(1, 2 * mm),
        pdf.para(prose["opening"]),
        Spacer(1, 1.5 * mm),
        pdf.table(["TT", "Nội dung cần bổ sung, hoàn thiện", "Lý do"], rows, widths=[6, 50, 64]),
        Spacer(1, 2 * mm),
    ]
    if (request.note or "").strip():
        story.append(pdf.field("Ghi chú", request.note.strip()))
    if not at_desk:
        story.append(pdf.para(law.regime_for(dossier).supplement_rule, "italic"))
    story += [
        pdf.para(prose["contact"]),
        pdf.field("Người hướng dẫn", asker),
        pdf.side_by_side(
            pdf.recipients([dossier.applicant_name, f"Lưu: {_desk(dossier)}"]),
            pdf.signature("NGƯỜI HƯỚNG DẪN", asker),
            left_share=0.55,
        ),
    ]
    return pdf.build(story, title=f"{_form(dossier, 'supplement')[1]} {dossier.code}", author=_author(unit))


# --- form 03 ------------------------------------------------------------------------


def rejection_pdf(dossier) -> bytes:
    """Form 03: the desk refuses to receive the dossier, with reasons."""
    event = _latest_event(dossier, "reject")
    when = dossier.decided_at or (event.at if event else None)
    officer = event.actor_name if event else ""
    prose = _prose(dossier, "rejection", desk=_desk(dossier))
    story = [
        *_desk_header(dossier, when),
        *_title(dossier, "rejection"),
        *_code_line(dossier),
        Spacer(1, 3 * mm),
        pdf.para(_desk(dossier), "field"),
        *_applicant_fields(dossier, "Tiếp nhận hồ sơ của"),
        pdf.field("Ngày nộp hồ sơ", pdf.short_date(dossier.submitted_at)),
        Spacer(1, 2 * mm),
        pdf.para(prose["opening"]),
        *_reason_paragraphs(dossier.result_note),
        pdf.para(prose["closing"]),
        pdf.side_by_side(
            pdf.recipients([dossier.applicant_name, f"Lưu: {_desk(dossier)}"]),
            pdf.signature("NGƯỜI TIẾP NHẬN", officer),
            left_share=0.55,
        ),
    ]
    return pdf.build(
        story,
        title=f"{_form(dossier, 'rejection')[1]} {dossier.code}",
        author=_author(dossier.receiving_unit),
    )


def refusal_pdf(dossier) -> bytes:
    """Form 03 adapted: the processing unit refuses an ineligible request, with reasons."""
    event = _latest_event(dossier, "refuse")
    unit = (event.unit if event and event.unit_id else None) or dossier.receiving_unit
    when = dossier.decided_at or (event.at if event else None)
    received = dossier.received_at or dossier.submitted_at
    prose = _prose(
        dossier,
        "refusal",
        received=pdf.short_date(received),
        desk=_desk(dossier),
        applicant=dossier.applicant_name,
        issuer=pdf.display_name(unit),
    )
    story = [
        *_unit_header(unit, when),
        *_title(dossier, "refusal"),
        *_code_line(dossier),
        Spacer(1, 3 * mm),
        pdf.para(prose["received"]),
        pdf.field("Địa chỉ", dossier.applicant_address),
        pdf.field("Nội dung yêu cầu giải quyết", _request_text(dossier)),
        Spacer(1, 2 * mm),
        pdf.para(prose["opening"]),
        *_reason_paragraphs(dossier.result_note),
    ]
    if event and event.actor_name:
        story.append(pdf.field("Cán bộ xử lý hồ sơ", event.actor_name))
    story += [
        pdf.para(prose["closing"]),
        _unit_closing(dossier, unit),
    ]
    return pdf.build(story, title=f"{_form(dossier, 'refusal')[1]} {dossier.code}", author=_author(unit))


def _letter_recipients(dossier) -> list[str]:
    """Nơi nhận of a letter from a processing unit: the applicant, the desk, the archive."""
    return [dossier.applicant_name, _desk(dossier), "Lưu: VT"]


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
    prose = _prose(
        dossier,
        "apology",
        received=pdf.short_date(received),
        issuer=name,
        applicant=dossier.applicant_name,
        new_due=pdf.vn_datetime(_due_at(new_due)),
        place=_pickup_place(dossier),
    )
    story = [
        *_unit_header(unit, event.at),
        *_title(dossier, "apology"),
        Spacer(1, 2 * mm),
        pdf.para(prose["received"]),
        pdf.field("Nội dung yêu cầu giải quyết", _request_text(dossier)),
        pdf.markup(f"Mã hồ sơ: <b>{pdf.esc(dossier.code)}</b>", "field"),
        pdf.field("Thời hạn giải quyết hồ sơ theo quy định", pdf.vn_datetime(_due_at(old_due))),
        Spacer(1, 2 * mm),
        pdf.para(prose["late"]),
        pdf.markup("Lý do:", "field"),
        *_reason_paragraphs(event.note),
        pdf.para(prose["apology"]),
        pdf.para(prose["closing"]),
        _unit_closing(dossier, unit),
    ]
    return pdf.build(story, title=f"{_form(dossier, 'apology')[1]} {dossier.code}", author=_author(unit))


# --- form 05 (Circular 03/2025): notice that processing stopped ------------------------


def stop_pdf(dossier) -> bytes:
    """Form 05 of Circular 03/2025/TT-VPCP, *Thông báo dừng giải quyết hồ sơ*.

    Issued when the applicant withdraws the dossier (the desk issues it) or the
    agency holding it stops processing (that agency issues it), with the
    reasons recorded by :func:`onestop.services.withdraw_dossier` or
    :func:`~onestop.services.stop_processing`. The form's exact wording was
    not confirmed here [open]: the text follows the other notices.
    """
    event = _latest_event(dossier, "withdraw", "stop_processing")
    if event is None or dossier.status != DossierStatus.STOPPED:
        raise WorkflowError(_("Processing of this dossier has not been stopped."))
    withdrawn = event.action == "withdraw"
    unit = dossier.receiving_unit if withdrawn or not event.unit_id else event.unit
    by_desk = unit.pk == dossier.receiving_unit_id
    issuer = _desk(dossier) if by_desk else pdf.display_name(unit)
    received = dossier.received_at or dossier.submitted_at
    prose = _prose(dossier, "stop", withdrawn=withdrawn, applicant=dossier.applicant_name, issuer=issuer)
    story = [
        *(_desk_header(dossier, event.at) if by_desk else _unit_header(unit, event.at)),
        *_title(dossier, "stop"),
        *_code_line(dossier),
        Spacer(1, 3 * mm),
        *_applicant_fields(dossier),
        pdf.field("Ngày tiếp nhận hồ sơ", pdf.short_date(received)),
        Spacer(1, 2 * mm),
        pdf.para(prose["opening"]),
    ]
    if withdrawn:
        story.append(pdf.markup("Nội dung đề nghị:", "field"))
    story += [
        *_reason_paragraphs(dossier.result_note),
        pdf.para(prose["closing"]),
        pdf.side_by_side(
            pdf.recipients([dossier.applicant_name, f"Lưu: {_desk(dossier)}"]),
            pdf.signature(
                "NGƯỜI TIẾP NHẬN" if by_desk else _head_titles(unit), event.actor_name if by_desk else ""
            ),
            left_share=0.55,
        ),
    ]
    return pdf.build(story, title=f"{_form(dossier, 'stop')[1]} {dossier.code}", author=_author(unit))


# --- the control sheet (form 05 of 2018, 06 of 2025) ----------------------------------


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
        self.desk = _desk(dossier)
        self.applicant = f"Người nộp hồ sơ: {dossier.applicant_name}"
        self.via_desk = f"Người nộp hồ sơ (qua {_desk(dossier)})"
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
    """The control sheet (form 05 of Circular 01/2018, 06 of Circular 03/2025): every hand-off between units, with times, due dates and timeliness."""
    if not dossier.received_at:
        raise WorkflowError(_("The dossier has not been accepted for processing yet."))
    rows = handoffs(dossier)
    steps = list(dossier.steps.select_related("unit").order_by("order"))
    deciding = steps[-1].unit if steps else dossier.receiving_unit
    helpers = sorted({pdf.display_name(s.unit) for s in steps if s.unit_id != deciding.pk})
    story = [
        *_desk_header(dossier, dossier.received_at),
        *_title(dossier, "control-sheet"),
        *_code_line(dossier),
        pdf.para(f"(Liên: Lưu tại {_desk(dossier)})", "italic_center"),
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
    return pdf.build(
        story,
        title=f"{_form(dossier, 'control-sheet')[1]} {dossier.code}",
        author=_author(dossier.receiving_unit),
    )


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


# --- the dossier register (form 06 of 2018, 07 of 2025), per desk and period --------------

REGISTER_LIMIT = 2000  # rows in one printed register; a longer period is refused, to be split


def register_rows(dossiers) -> list[list]:
    rows = []
    for n, d in enumerate(dossiers, 1):
        steps = [s for s in d.steps.all()]
        deciding = pdf.display_name(steps[-1].unit) if steps else pdf.display_name(d.receiving_unit)
        applicant = f"{d.applicant_name}\n{d.applicant_address}\n{d.applicant_phone}"
        received = d.received_at or d.submitted_at
        returned = pdf.short_date(d.returned_at) if d.returned_at else ""
        note = d.get_status_display() if not d.returned_at else TIMELINESS.get(d.timeliness, "")
        rows.append(
            [
                str(n),
                d.code or "",
                f"{d.service.code} - {d.service.name}",
                pdf.markup(pdf.esc(applicant).replace("\n", "<br/>"), "cell"),
                deciding,
                pdf.vn_datetime(received) if received else "",
                pdf.short_date(d.due_date) if d.due_date else "",
                returned,
                str(note),
            ]
        )
    return rows


def register_pdf(unit, start: date, end: date, dossiers) -> bytes:
    """The dossier register (*Sổ theo dõi hồ sơ*) of ``unit``'s desk for ``start``..``end``.

    Form 06 of Circular 01/2018/TT-VPCP, form 07 of Circular 03/2025/TT-VPCP:
    the form set in force on the period's last day gives the number and title.
    Its exact columns were not confirmed [open]; these follow form 01's fields.
    ``dossiers``: the rows, already scoped and bounded by the caller.
    """
    forms = law.forms_on(end)
    number, heading = forms.get("register", ("", "SỔ THEO DÕI HỒ SƠ"))
    regime = law.regime_on(end)
    desk = law.desk_name(unit, regime)
    note = f"(Mẫu số {number} - {law.form_set_on(end)})" if number else ""
    rows = register_rows(dossiers)
    story = [
        pdf.national_header(pdf.formal_name(unit), desk.upper(), place_line=pdf.place_date(workdays.today())),
        *pdf.title(heading, f"Từ ngày {pdf.short_date(start)} đến ngày {pdf.short_date(end)}", note=note),
        pdf.table(
            [
                "TT",
                "Mã hồ sơ",
                "Thủ tục hành chính",
                "Người nộp (địa chỉ, điện thoại)",
                "Cơ quan giải quyết",
                "Ngày, giờ nhận",
                "Hẹn trả",
                "Trả kết quả",
                "Ghi chú",
            ],
            rows or [["", "", "(Không có hồ sơ)", "", "", "", "", "", ""]],
            widths=[4, 20, 20, 22, 14, 13, 10, 10, 10],
            center_columns=(0, 5, 6, 7),
        ),
        Spacer(1, 3 * mm),
        pdf.para(f"Tổng số: {len(rows)} hồ sơ.", "field"),
    ]
    return pdf.build(story, title=f"{heading} {desk} {start:%d%m%Y}-{end:%d%m%Y}", author=desk)


# --- the letter registry: one table read by the staff pages and the citizen look-up -------

CITIZEN = "citizen"
STAFF = "staff"
BOTH = frozenset({CITIZEN, STAFF})


@dataclass(frozen=True)
class Letter:
    """A letter a dossier may have.

    ``slug`` keys the form in the dossier's form set (:class:`onestop.models.LegalForm`),
    which gives its number and printed title; ``label`` is the link text, with the
    number filled in; ``applies`` says whether the dossier has the letter now;
    ``render(dossier, part, lookup_url)`` makes the PDF; ``file_name`` starts the
    downloaded file's name; ``audience`` says who may download it.
    ``per_supplement``: one copy per supplement request (``part``).
    """

    slug: str
    label: object
    applies: Callable
    render: Callable
    file_name: str
    audience: frozenset
    per_supplement: bool = False


@dataclass(frozen=True)
class Copy:
    """One downloadable copy of a letter for one dossier."""

    letter: Letter
    slug: str  # in URLs: the letter's slug, or ``supplement-<id>``
    title: str
    part: object = None

    @property
    def kind(self) -> str:
        return self.letter.slug


def _result_bytes(dossier, part, lookup_url) -> bytes:
    from onestop import services

    stored = services.result_file(dossier)
    if stored is None:
        raise WorkflowError(_("The result is not ready yet."))
    with stored.file.open("rb") as handle:
        return handle.read()


REGISTRY: tuple[Letter, ...] = (
    Letter(
        "receipt",
        gettext_lazy("Receipt and appointment (form %(number)s)"),
        # Online filings get a provisional one at once; walk-ins once the desk accepts them.
        lambda d: bool(d.code) and (d.received_at is not None or d.channel == Channel.ONLINE),
        lambda d, part, url: receipt_pdf(d, url),
        "bien-nhan",
        BOTH,
    ),
    Letter(
        "supplement",
        gettext_lazy("Supplement request of %(date)s (form %(number)s)"),
        lambda d: True,
        lambda d, part, url: supplement_pdf(part),
        "yeu-cau-bo-sung",
        BOTH,
        per_supplement=True,
    ),
    Letter(
        "rejection",
        gettext_lazy("Refusal to receive the dossier (form %(number)s)"),
        lambda d: d.status == DossierStatus.REJECTED,
        lambda d, part, url: rejection_pdf(d),
        "tu-choi-tiep-nhan",
        BOTH,
    ),
    Letter(
        "refusal",
        gettext_lazy("Notice of refusal, with reasons"),
        lambda d: d.status == DossierStatus.REFUSED,
        lambda d, part, url: refusal_pdf(d),
        "tu-choi-giai-quyet",
        BOTH,
    ),
    Letter(
        "apology",
        gettext_lazy("Apology and new appointment date (form %(number)s)"),
        lambda d: d.rescheduled,
        lambda d, part, url: apology_pdf(d),
        "xin-loi-hen-lai",
        BOTH,
    ),
    Letter(
        "stop",
        gettext_lazy("Notice that processing stopped (form %(number)s)"),
        lambda d: d.status == DossierStatus.STOPPED,
        lambda d, part, url: stop_pdf(d),
        "dung-giai-quyet",
        BOTH,
    ),
    Letter(
        "control-sheet",
        gettext_lazy("Process control sheet (form %(number)s)"),
        lambda d: d.received_at is not None,
        lambda d, part, url: control_sheet_pdf(d),
        "phieu-kiem-soat",
        frozenset({STAFF}),
    ),
    Letter(
        "result",
        gettext_lazy("Result"),
        lambda d: d.status in (DossierStatus.RESULT_READY, DossierStatus.RETURNED),
        _result_bytes,
        "ket-qua",
        frozenset({STAFF}),
    ),
)
BY_SLUG = {letter.slug: letter for letter in REGISTRY}


def _title_of(letter: Letter, number: str, part=None) -> str:
    values = {"number": number}
    if part is not None:
        values["date"] = f"{workdays.local(part.requested_at):%d/%m/%Y}"
    return str(letter.label) % values if "%(" in str(letter.label) else str(letter.label)


def available(dossier, audience: str, requests: list | None = None) -> list[Copy]:
    """The letters ``audience`` may download for ``dossier`` now, in the registry's order.

    A letter applies when its rule holds **and** the form set in force when the
    dossier was received has it (the 2018 set has no notice of stop).
    ``requests``: the dossier's supplement requests, when the caller has them.
    """
    copies: list[Copy] = []
    forms = law.forms_for(dossier)
    for letter in REGISTRY:
        if audience not in letter.audience or letter.slug not in forms or not letter.applies(dossier):
            continue
        number = forms[letter.slug][0]
        if letter.per_supplement:
            if requests is None:
                requests = list(dossier.supplement_requests.order_by("requested_at", "id"))
            for request in requests:
                copies.append(
                    Copy(letter, f"{letter.slug}-{request.pk}", _title_of(letter, number, request), request)
                )
        else:
            copies.append(Copy(letter, letter.slug, _title_of(letter, number)))
    return copies


def find(dossier, slug: str, audience: str) -> Copy | None:
    """The copy ``slug`` of ``dossier`` if ``audience`` may download it now, else None."""
    return next((c for c in available(dossier, audience) if c.slug == slug), None)


def render(copy: Copy, dossier, lookup_url: str = "") -> bytes:
    """The copy's PDF. Raises :class:`WorkflowError` when the letter's facts are missing."""
    return copy.letter.render(dossier, copy.part, lookup_url)


def file_name(copy: Copy, dossier) -> str:
    suffix = f"-{copy.part.pk}" if copy.part is not None else ""
    return f"{copy.letter.file_name}-{dossier.code}{suffix}.pdf"
