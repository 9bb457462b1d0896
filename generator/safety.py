"""YAML text is data, never markup: what a text field may not contain, and a last check on the
rendered HTML.

Text fields are Markdown. Raw HTML is **rejected** with an error (never escaped silently), as
are links whose scheme is not http, https or mailto. The decision is made on markdown-it-py's
tokens (`html_inline`, `html_block`, every link and image target), not on regular expressions
over the text. MkDocs renders with Python-Markdown, which does not parse exactly like
markdown-it. So text that only looks like a tag to a lenient parser (`<img/src=x onerror=…>`)
is rejected too. After rendering, `unsafe_html` checks the page's content once more: no
script, no embedded frame or object, no event-handler attribute and no unsafe URL; and
`unsafe_frame` checks the rest of the page, the head included, where the theme prints titles,
descriptions and tags: no event handler, no attribute that text broke out into.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from html.parser import HTMLParser

from markdown_it import MarkdownIt

SAFE_SCHEMES = {"http", "https", "mailto"}
UNSAFE_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "meta",
    "link",
    "style",
}
# Outside the content, the theme's own elements are expected (scripts, styles, meta); what text
# breaking out of an attribute would add is not: these attributes, and on the head's <meta> and
# <link>, anything but their own.
FRAME_DENIED_ATTRIBUTES = {"autofocus", "style", "srcdoc", "formaction", "form", "popover", "contenteditable"}
HEAD_ATTRIBUTES = {
    "meta": {"name", "content", "charset", "property", "http-equiv", "media"},
    "link": {"rel", "href", "type", "title", "sizes", "media", "hreflang", "crossorigin", "as"},
}
_ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9_:.-]*")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w-]+=)")
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class _AllLinksMarkdown(MarkdownIt):
    """A parser that keeps every link target, so that unsafe ones can be judged here."""

    def validateLink(self, url: str) -> bool:
        return True


_markdown = _AllLinksMarkdown("commonmark")


def unsafe_url(url: str) -> bool:
    """True for a URL whose scheme a browser would run or embed (javascript:, data:, …).

    Entities and percent-escapes are decoded and the characters browsers ignore (whitespace
    and control characters) are removed first, so `java&#9;script:` is caught too.
    """
    text = urllib.parse.unquote(html.unescape(url))
    text = "".join(ch for ch in text if ord(ch) > 0x20 and ord(ch) != 0x7F).lower()
    match = _SCHEME.match(text)
    return match is not None and match.group(1) not in SAFE_SCHEMES


def unsafe_markup(text: str) -> str | None:
    """Why a text field would inject markup into the page, or None if it is plain Markdown."""
    if _ATTRIBUTE_LIST.search(text):
        return "attribute lists ('{: ...}', '{ #id }') are not allowed in playbook text"
    if not any(mark in text for mark in ("<", "](", "]:", "&")):
        return None  # no tag, link, link definition or entity: nothing to look at
    for token in _markdown.parse(text):
        for tok in [token, *(token.children or [])]:
            if tok.type in ("html_inline", "html_block"):
                snippet = tok.content.strip().splitlines()[0][:40]
                return f"raw HTML is not allowed in playbooks ('{snippet}'); use Markdown"
            if tok.type == "text" and (match := _TAG_LIKE.search(tok.content)):
                snippet = tok.content[match.start() :][:40]
                return f"text that looks like an HTML tag ('{snippet}'); put literal angle brackets in `code`"
            for name in ("href", "src"):
                target = str(tok.attrs.get(name) or "")
                if target and unsafe_url(target):
                    return f"unsafe link target '{target[:40]}'; links must be http(s), mailto or relative"
    return None


class _Inspector(HTMLParser):
    """Reads rendered HTML for what could run script: in a page's content (`frame` False) also
    any element that embeds or loads something; around it (`frame` True), where the theme's
    own scripts and styles belong, also any attribute that text broke out into."""

    def __init__(self, frame: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.frame = frame
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.frame and tag in UNSAFE_TAGS:
            self.findings.append(f"<{tag}> element")
        allowed = HEAD_ATTRIBUTES.get(tag)
        for name, value in attrs:
            if name.startswith("on") or (self.frame and name in FRAME_DENIED_ATTRIBUTES):
                self.findings.append(f"'{name}' attribute on <{tag}>")
            elif self.frame and (
                not _ATTRIBUTE_NAME.fullmatch(name) or (allowed is not None and name not in allowed)
            ):
                self.findings.append(
                    f"unexpected attribute '{name[:30]}' on <{tag}> (text broke out of a value?)"
                )
            elif name in URL_ATTRIBUTES and value and unsafe_url(value):
                self.findings.append(f"unsafe URL in '{name}' of <{tag}>: {value[:40]}")


def _findings(html_text: str, frame: bool) -> list[str]:
    inspector = _Inspector(frame)
    inspector.feed(html_text)
    inspector.close()
    return inspector.findings


def unsafe_html(page_html: str) -> list[str]:
    """Anything in a rendered page body that could run script or embed foreign content."""
    return _findings(page_html, frame=False)


def page_parts(page_html: str) -> tuple[str, str]:
    """A rendered page split into its content (Material's `<article>`) and the frame around it."""
    start, end = page_html.find("<article"), page_html.rfind("</article>")
    if start < 0 or end < start:
        return "", page_html
    end += len("</article>")
    return page_html[start:end], page_html[:start] + page_html[end:]


def unsafe_frame(frame_html: str) -> list[str]:
    """Anything in the page around its content (the head, header, navigation, footer) that
    runs script or shows that text broke out of an attribute."""
    return _findings(frame_html, frame=True)
