"""Open311 GeoReport v2 bodies in its two formats: XML (required by the spec) and JSON.

A body is a list of dicts (or one dict for discovery and a service
definition). XML follows the spec's element names: the root, one element per
item, nested lists as a wrapper with repeated children (``attributes`` →
``attribute``, ``values`` → ``value``, ``endpoints`` → ``endpoint``,
``formats`` → ``format``). Characters XML 1.0 cannot carry are dropped.
"""

from __future__ import annotations

import json
import re
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CHILD = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(parent: Element, data: dict) -> None:
    for key, value in data.items():
        node = SubElement(parent, key)
        if isinstance(value, list):
            for item in value:
                child = SubElement(node, CHILD.get(key, "item"))
                if isinstance(item, dict):
                    _fill(child, item)
                else:
                    child.text = _text(item)
        elif isinstance(value, dict):
            _fill(node, value)
        else:
            node.text = _text(value)


def xml_bytes(root: str, item: str | None, body) -> bytes:
    top = Element(root)
    if isinstance(body, list):
        for entry in body:
            _fill(SubElement(top, item or "item"), entry)
    else:
        _fill(top, body)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(
        top, encoding="utf-8", xml_declaration=False
    )


def respond(fmt: str, body, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    if fmt == "json":
        response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type=JSON_TYPE, status=status)
    else:
        response = HttpResponse(xml_bytes(root, item, body), content_type=XML_TYPE, status=status)
    response["Access-Control-Allow-Origin"] = "*"  # a public read API: any web app may call it
    response["Cache-Control"] = "no-store"
    return response


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error body: ``<errors><error><code/><description/></error></errors>`` or its JSON list."""
    body = [{"code": status, "description": str(d)} for d in descriptions]
    return respond(fmt, body, "errors", "error", status=status)
