"""Editors' rich text, cleaned again whatever way it arrived (the admin's editor, an import, the shell).

Wagtail's editor already keeps only the features it offers; this second,
server-side pass keeps the database format's tags and attributes alone, so
no script, event handler, style or ``javascript:`` link reaches a citizen's
browser.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Comment

ALLOWED = {
    "p": set(),
    "br": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "ul": set(),
    "ol": set(),
    "li": set(),
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt"},
}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "template", "noscript", "svg", "math", "form"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "/", "#")


def clean_body(html: str) -> str:
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in list(soup.find_all(True)):
        if tag.decomposed:
            continue
        if tag.name in DROP_WITH_CONTENT:
            tag.decompose()
            continue
        if tag.name not in ALLOWED:
            tag.unwrap()
            continue
        allowed = ALLOWED[tag.name]
        for attr in list(tag.attrs):
            if attr not in allowed:
                del tag.attrs[attr]
        href = tag.attrs.get("href")
        if href is not None and not href.strip().lower().startswith(SAFE_SCHEMES):
            del tag.attrs["href"]
    return str(soup)
