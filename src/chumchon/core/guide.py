"""The Thai guide for tambon officers and volunteers, as a page of the app.

The guide is one Markdown file, ``docs/guide-th.md`` in the repository; the package
ships it as ``core/data/guide-th.md`` (a symbolic link to it in a checkout, the file
itself in a built wheel), so the page and the repository never differ.

It is written in a small part of Markdown, which :func:`render_markdown` turns into
HTML without a dependency: ``#``–``###`` headings, paragraphs, ``-`` and ``1.`` lists,
``**bold**``, ```code``` and ``[text](link)``. Everything else is text, escaped. Links
are the app's own paths (``/imports/templates/households.xlsx``); a test resolves each.
"""

from __future__ import annotations

import html
import re
from importlib import resources

GUIDE_FILE = "guide-th.md"

_INLINE = re.compile(r"\*\*(?P<bold>.+?)\*\*|`(?P<code>[^`]+)`|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d+[.)]\s+(.*)$")
_SAFE_HREF = re.compile(r"^(/|#|https://)")


def guide_text() -> str:
    return resources.files("chumchon.core").joinpath("data", GUIDE_FILE).read_text(encoding="utf-8")


def _inline(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[position : match.start()]))
        if match["bold"] is not None:
            out.append(f"<strong>{_inline(match['bold'])}</strong>")
        elif match["code"] is not None:
            out.append(f"<code>{html.escape(match['code'])}</code>")
        else:
            href = match["href"]
            label = _inline(match["text"])
            out.append(f'<a href="{html.escape(href)}">{label}</a>' if _SAFE_HREF.match(href) else label)
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-").lower() or "section"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def render_markdown(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The HTML of ``text`` and its table of contents: ``(slug, title)`` of each ``##``."""
    out: list[str] = []
    toc: list[tuple[str, str]] = []
    taken: set[str] = set()
    paragraph: list[str] = []
    list_kind = ""

    def flush() -> None:
        nonlocal list_kind
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if list_kind:
            out.append(f"</{list_kind}>")
            list_kind = ""

    for raw in text.splitlines():
        line = raw.strip()
        heading, bullet, numbered = _HEADING.match(line), _BULLET.match(line), _NUMBERED.match(line)
        if not line:
            flush()
        elif heading:
            flush()
            level, title = len(heading[1]), heading[2].strip()
            slug = _slug(title, taken)
            if level == 2:
                toc.append((slug, title))
            out.append(f'<h{level} id="{slug}">{_inline(title)}</h{level}>')
        elif bullet or numbered:
            kind = "ul" if bullet else "ol"
            if paragraph or list_kind != kind:
                flush()
                out.append(f"<{kind}>")
                list_kind = kind
            item = (bullet or numbered)[1]  # type: ignore[index]
            out.append(f"<li>{_inline(item)}</li>")
        elif list_kind and raw.startswith(("  ", "\t")) and out[-1].endswith("</li>"):
            out[-1] = out[-1][: -len("</li>")] + " " + _inline(line) + "</li>"  # a list item's next line
        else:
            if list_kind:
                flush()
            paragraph.append(line)
    flush()
    return "\n".join(out), toc


def guide_html() -> tuple[str, list[tuple[str, str]]]:
    return render_markdown(guide_text())


def guide_links() -> list[str]:
    """Every link target of the guide (the test resolves each against the URL map)."""
    return [m["href"] for m in _INLINE.finditer(guide_text()) if m["href"]]
