"""Printable documents: a Django template rendered to PDF with WeasyPrint, offline.

``render_pdf("ledgers/statement_pdf.html", context)`` returns the PDF as bytes:

* A4 portrait with ~13 mm margins and the bundled Sarabun font (regular, italic,
  semibold, bold) from ``core/static/chumchon/fonts`` via ``@font-face`` file URLs —
  the same faces on every machine, embedded in the file. A template's own CSS (a
  ``<style>`` block, or static files passed as ``stylesheets``) comes after the base
  and may override it (``@page`` margins, font size).
* Nothing is ever fetched from the network. :class:`LocalOnlyFetcher` answers
  ``data:`` URLs and ``file:`` URLs inside the chumchon package (its static files and
  templates), with a font, stylesheet or image suffix; anything else is refused and
  the resource is left out (WeasyPrint logs a warning).
* Thai line breaking is Pango's, which uses libthai (Debian's ``libthai0``) to break
  at word boundaries; tone marks and vowels render in HTML text. Inside SVG ``<text>``
  WeasyPrint drops Thai marks, so draw charts as HTML boxes and keep text out of SVG;
  a map's names are glyph outlines (``core.textpaths``), not ``<text>``.

Rendering is CPU-bound (about 0.1–0.2 s a simple page); a long batch belongs in a
background task.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

import chumchon

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(chumchon.__file__).resolve().parent
FONT_DIR = PACKAGE_DIR / "core" / "static" / "chumchon" / "fonts"
FONT_FACES = (  # (file, weight, style)
    ("Sarabun_400Regular.ttf", 400, "normal"),
    ("Sarabun_400Regular_Italic.ttf", 400, "italic"),
    ("Sarabun_600SemiBold.ttf", 600, "normal"),
    ("Sarabun_700Bold.ttf", 700, "normal"),
)
ALLOWED_SUFFIXES = frozenset({".ttf", ".otf", ".woff", ".woff2", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg"})

BASE_CSS = """
@page { size: A4 portrait; margin: 13mm 13mm 12mm 13mm; }
html { font-family: "Sarabun", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #000; }
body { margin: 0; }
"""


class PdfError(Exception):
    """The PDF could not be made (a resource refused, a template missing)."""


def _font_face_css() -> str:
    rules = []
    for name, weight, style in FONT_FACES:
        path = FONT_DIR / name
        if path.is_file():
            rules.append(
                f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{path.as_uri()}") format("truetype"); }}'
            )
        else:  # pragma: no cover - the fonts ship with the package
            logger.warning("PDF font missing: %s", path)
    return "\n".join(rules)


def _is_allowed_file(path: Path) -> bool:
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return resolved.is_file() and resolved.is_relative_to(PACKAGE_DIR) and resolved.suffix.lower() in ALLOWED_SUFFIXES


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, limited to ``data:`` URLs and the package's own files."""

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path))
                if _is_allowed_file(path):
                    return super().fetch(path.resolve().as_uri(), headers)
            logger.warning("PDF resource refused (only the package's own files): %s", url[:200])
            raise PdfError(f"refused: {url[:200]}")

    return LocalOnlyFetcher


@lru_cache(maxsize=1)
def _local_fetcher_class() -> type:
    return _fetcher_class()


def local_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that never touches the network."""
    return _local_fetcher_class()(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False)


def static_path(name: str) -> Path:
    """The file behind a static path (``"ledgers/statement.css"``), found as
    ``collectstatic`` would find it; :class:`PdfError` when there is none."""
    found = finders.find(name)
    if not found:
        raise PdfError(f"static file not found: {name}")
    return Path(found if isinstance(found, str) else found[0])


def default_base_url() -> str:
    """Relative URLs in a PDF template resolve against the core static directory."""
    return (PACKAGE_DIR / "core" / "static").as_uri() + "/"


def new_font_config() -> Any:
    """A WeasyPrint font configuration; share one between documents that will be joined
    (``documents[0].copy(pages)``) so each face is embedded once."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_html_document(
    html: str,
    *,
    base_url: str | None = None,
    stylesheets: Sequence[str] = (),
    fetcher: Any = None,
    font_config: Any = None,
) -> Any:
    """Lay out an HTML string (WeasyPrint ``Document``: ``.pages``, ``.write_pdf()``)."""
    from weasyprint import CSS, HTML

    fetcher = fetcher or local_url_fetcher()
    font_config = font_config or new_font_config()
    sheets = [CSS(string=_font_face_css() + BASE_CSS, font_config=font_config, url_fetcher=fetcher)]
    for name in stylesheets:
        path = static_path(name)
        sheets.append(CSS(filename=str(path), font_config=font_config, url_fetcher=fetcher))
    document = HTML(string=html, base_url=base_url or default_base_url(), url_fetcher=fetcher)
    return document.render(font_config=font_config, stylesheets=sheets)


def render_document(
    template_name: str,
    context: Mapping[str, Any],
    *,
    base_url: str | None = None,
    stylesheets: Sequence[str] = (),
    language: str | None = None,
) -> Any:
    """Render a template and lay it out; ``language`` overrides the active language."""
    with translation.override(language) if language else nullcontext():
        html = render_to_string(template_name, {**context, "pdf": True})
    return render_html_document(html, base_url=base_url, stylesheets=stylesheets)


def render_pdf(
    template_name: str,
    context: Mapping[str, Any],
    *,
    base_url: str | None = None,
    stylesheets: Sequence[str] = (),
    language: str | None = None,
) -> bytes:
    """A template as PDF bytes (A4, Sarabun, no network). ``stylesheets`` are static
    paths (``"ledgers/statement.css"``) applied after the base CSS."""
    document = render_document(template_name, context, base_url=base_url, stylesheets=stylesheets, language=language)
    return document_pdf(document)


def document_pdf(document: Any) -> bytes:
    pdf: bytes = document.write_pdf()
    return pdf
