"""The `template` kind: documents to copy during an engagement (agendas, emails, scripts, notices).

Each document's body is Markdown with placeholders written `{{name}}`. A placeholder is only
text for the reader to replace: it is never evaluated, by Jinja or anything else. Every one
the body uses is declared with what to write there, and every declared one is used.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from markdown_it import MarkdownIt
from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from ..model import KindSpec, Markdown, Playbook, Strict, Text, TitledEntry

PLACEHOLDER_NAME = r"[a-z][a-z0-9_]*"
PLACEHOLDER = re.compile(r"\{\{(" + PLACEHOLDER_NAME + r")\}\}")
_BRACES = re.compile(r"\{\{(.*?)\}\}|\{\{|\}\}")


_markdown = MarkdownIt("commonmark").enable("table")  # raw HTML stays escaped: `html` is off
_TAG = re.compile(r"(<[^>]*>)")
_HEADING = re.compile(r"<(/?)h([1-6])>")


def placeholders_in(body: str) -> list[str]:
    """The placeholder names a body uses, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(body)))


class Placeholder(Strict):
    name: Annotated[str, StringConstraints(pattern=f"^{PLACEHOLDER_NAME}$", max_length=40)] = Field(
        description="Written {{name}} in the body: lowercase letters, digits and underscores."
    )
    description: Text = Field(description="What the reader writes in its place.")
    example: Text | None = Field(default=None, description="A sample value, shown beside the description.")


class Document(TitledEntry):
    purpose: Markdown = Field(description="When to use this document and what it achieves.")
    placeholders: list[Placeholder] = Field(
        default=[], description="Every {{name}} the body uses, with what to write there."
    )
    body: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The document as Markdown, with placeholders written {{name}}. Copied and "
        "downloaded exactly as written."
    )

    @field_validator("body")
    @classmethod
    def _placeholders_declared(cls, body: str, info: ValidationInfo) -> str:
        for match in _BRACES.finditer(body):
            inner = match.group(1)
            if inner is None or not re.fullmatch(PLACEHOLDER_NAME, inner):
                raise ValueError(
                    f"'{match.group(0)[:40]}' is not a placeholder: write {{{{name}}}} with lowercase "
                    "letters, digits and underscores, no spaces"
                )
        declared = [p.name for p in info.data.get("placeholders", [])]
        used = placeholders_in(body)
        if undeclared := [name for name in used if name not in declared]:
            raise ValueError(
                f"placeholder '{{{{{undeclared[0]}}}}}' is not declared: add it to `placeholders:` "
                "with a description"
            )
        if unused := [name for name in declared if name not in used]:
            raise ValueError(f"placeholder '{unused[0]}' is declared but the body never uses it")
        if len(set(declared)) != len(declared):
            twice = next(name for name in declared if declared.count(name) > 1)
            raise ValueError(f"placeholder '{twice}' is declared twice")
        return body

    def body_html(self, top_heading: int) -> str:
        """The body as HTML for reading and printing: its headings start at `top_heading` (so
        they nest under the document's own and stay out of the page's table of contents) and
        each placeholder is highlighted. No blank line, so Markdown keeps it as one HTML block."""
        rendered = _markdown.render(self.body)
        rendered = _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + top_heading - 1)}>", rendered)
        parts = _TAG.split(rendered)  # placeholders are marked in text, never inside a tag
        for i in range(0, len(parts), 2):
            parts[i] = PLACEHOLDER.sub(r'<mark class="hb-placeholder">{{\1}}</mark>', parts[i])
        joined = "".join(parts)
        return "\n".join(line if line.strip() else "&#8203;" for line in joined.strip().split("\n"))


class Template(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="template",
        folder="document-templates",
        title="Templates",
        singular="template set",
        intro=(
            "Documents to copy and adapt during an engagement: meeting agendas, emails, call "
            "scripts and notices. Copy one, or download it as Markdown, and replace each "
            "highlighted placeholder."
        ),
        review_months=12,
        position=70,
        entry_nouns={"documents": "document"},
        example_values={
            "Document": {
                "placeholders": [
                    {"name": "partner_name", "description": "Write what goes in its place here."}
                ],
                "body": "Write the document here, in Markdown, with placeholders like {{partner_name}} here.",
            }
        },
    )

    kind: Literal["template"]
    documents: list[Document] = Field(min_length=1, title="Documents")

    def attachments(self) -> dict[str, str]:
        """Each document as a Markdown file to download, beside the page."""
        return {f"{self.id}/{doc.id}.md.txt": doc.body.rstrip("\n") + "\n" for doc in self.documents}


KIND = Template
