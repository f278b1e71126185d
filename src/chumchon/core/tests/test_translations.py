"""The Thai catalogue is complete and its compiled .mo matches the .po."""

import ast
import gettext
from pathlib import Path

import chumchon

LOCALE = Path(chumchon.__file__).parent / "locale" / "th" / "LC_MESSAGES"


def _entries(po_text: str) -> list[dict[str, object]]:
    entries = []
    for block in po_text.split("\n\n"):
        entry: dict[str, object] = {"fuzzy": "#, fuzzy" in block}
        key = None
        for line in block.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith('"'):
                entry[key] = str(entry[key]) + ast.literal_eval(line)  # type: ignore[index]
                continue
            key, _, rest = line.partition(" ")
            entry[key] = ast.literal_eval(rest)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 150
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert untranslated == []
    assert [e["msgid"] for e in entries if e["fuzzy"]] == []


def test_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for entry in _entries((LOCALE / "django.po").read_text(encoding="utf-8")):
        if "msgid_plural" in entry:
            assert catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
        elif "msgctxt" in entry:  # the same words in another context may read otherwise
            assert catalogue.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"], "run `make messages`"
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], "run `make messages`"
