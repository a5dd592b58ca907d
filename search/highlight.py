"""Highlighting: the only code that turns document text into HTML.

Every character of document text is HTML-escaped; the only markup added is
``<mark>`` around matched words, as they are written in the text.
"""
from __future__ import annotations

from html import escape

from whoosh import highlight

MAX_SNIPPETS = 3


class MarkFormatter(highlight.Formatter):
    between = " … "

    def format_token(self, text, token, replace=False):
        return "<mark>" + escape(highlight.get_text(text, token, replace)) + "</mark>"

    def format_fragment(self, fragment, replace=False):
        output, index = [], fragment.startchar
        text = fragment.text
        for t in fragment.matches:
            if t.startchar is None:
                continue
            if t.startchar < index:
                continue
            if t.startchar > index:
                output.append(escape(text[index:t.startchar]))
            output.append(self.format_token(text, t, replace))
            index = t.endchar
        output.append(escape(text[index:fragment.endchar]))
        return "".join(output)


def configure(results) -> None:
    results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=80)
    results.formatter = MarkFormatter()


def snippets(hit, fieldname: str, top: int = MAX_SNIPPETS) -> list[str]:
    html = hit.highlights(fieldname, top=top)
    return [s for s in html.split(MarkFormatter.between) if s] if html else []


def title_html(hit, fieldname: str) -> str:
    text = hit.get(fieldname) or ""
    marked = hit.highlights(fieldname, text=text, top=1, minscore=0) if text else ""
    return marked or escape(text)
