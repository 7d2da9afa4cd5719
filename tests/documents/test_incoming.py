"""Incoming: arrival, registration, assignment down the hierarchy with deadlines, closing with the reply."""

from __future__ import annotations

from datetime import datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from documents import services
from documents.models import Assignment, Document, DocumentNotice, DocumentStatus, StatusCode
from documents.workflow import WorkflowError
from portal import outbox, workdays
from tests.documents import flows

S = DocumentStatus


def test_delivered_copy_is_accepted_assigned_passed_down_and_closed(office):
    out = flows.issued(office)
    copy = Document.objects.get(source=out, unit=office.ward_a)
    services.accept_arrived(copy, office.a_clerk)
    services.assign_document(
        copy, office.a_leader, lead_unit=office.ward_a, lead_user=office.a_cv, deadline=5
    )
    copy.refresh_from_db()
    assert copy.status == S.IN_PROGRESS
    assert copy.deadline == workdays.add_working_days(workdays.today(), 5)
    reply = flows.issued(office, summary="Công văn trả lời", units=[])
    with pytest.raises(ValidationError):  # the ward cannot see the city's reply
        services.close_document(copy, office.a_cv, "Đã xử lý", reply=reply)
    services.close_document(copy, office.a_cv, "Đã xử lý")
    copy.refresh_from_db()
    assert copy.status == S.DONE and copy.timeliness == "on_time"
    recipient = out.recipients.get(unit=office.ward_a)
    codes = list(recipient.messages.values_list("code", flat=True))
    assert codes == [StatusCode.ARRIVED, StatusCode.ACCEPTED, StatusCode.ASSIGNED, StatusCode.DONE]


def test_refused_copy_tells_the_sender_why(office):
    out = flows.issued(office)
    copy = Document.objects.get(source=out, unit=office.ward_b)
    services.refuse_arrived(copy, office.b_clerk, "Gửi nhầm đơn vị")
    recipient = out.recipients.get(unit=office.ward_b)
    assert recipient.status == StatusCode.REFUSED and recipient.status_note == "Gửi nhầm đơn vị"


def test_pass_down_committee_to_department_to_ward_with_own_deadlines(office):
    doc = flows.registered(office)
    services.assign_document(
        doc, office.leader, lead_unit=office.vp, coordinating=[office.ward_b], deadline=10
    )
    with pytest.raises(ValidationError, match="later"):
        services.pass_down(doc, office.vp_ld, unit=office.vp, user=office.vp_cv, deadline=30)
    child = services.pass_down(doc, office.vp_ld, unit=office.vp, user=office.vp_cv, deadline=3)
    assert child.parent.status == Assignment.Status.PASSED
    with pytest.raises(WorkflowError):
        services.close_document(doc, office.a_cv)
    services.report_coordination(doc, office.b_leader, "Đã phối hợp")
    services.close_document(doc, office.vp_cv, "Xong")
    doc.refresh_from_db()
    assert doc.status == S.DONE
    assert set(doc.assignments.values_list("status", flat=True)) == {Assignment.Status.DONE}
    assert office.ward_b.pk in doc.unit_ids and office.vp.pk in doc.unit_ids


def test_reminders_exactly_once_to_handler_then_leader(office, mailoutbox):
    doc = flows.registered(office)
    services.assign_document(doc, office.leader, lead_unit=office.vp, lead_user=office.vp_cv, deadline=1)
    due = Document.objects.get(pk=doc.pk).deadline
    with time_machine.travel(workdays.local(datetime.combine(due, time(8)))):
        outbox.sweep()
        outbox.sweep()
        assert DocumentNotice.objects.filter(kind="due_soon").count() == 1
        assert [m.to for m in mailoutbox] == [[office.vp_cv.email]]
    late = workdays.next_working_day(due)
    with time_machine.travel(workdays.local(datetime.combine(late, time(8)))):
        outbox.sweep()
        outbox.sweep()
    notices = DocumentNotice.objects.filter(kind="overdue")
    assert [n.recipient_user for n in notices] == [office.vp_ld]
    assert len(mailoutbox) == 2 and mailoutbox[1].to == [office.vp_ld.email]
