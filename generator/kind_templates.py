"""The templates of declared kinds (`kinds/NAME.md.j2`), checked like content: a syntax error, a
field the kind does not declare, or a failure while rendering one of its playbooks is a problem
at `kinds/NAME.md.j2:LINE:COL`, not a traceback during the build.

Built-in templates are the generator's own code: their tests are the golden pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from . import review
from .kinds import Kinds
from .model import Playbook, entry_type, list_item_model
from .problems import Problem
from .render import TEMPLATES_DIR, Renderer, TemplateFailure, make_environment, template_line
from .validate import Handbook

# What a template may read from `pb` or an entry besides its fields.
_PROPERTIES = {"label", "review_months", "spec", "label_field", "attachments"}


def declared_templates(root: Path, kinds: Kinds) -> dict[str, Path]:
    """The template of each kind the handbook declares: kinds/NAME.md.j2 beside kinds/NAME.yaml."""
    return {
        name: (root / cls.spec.declared_in).with_suffix(".md.j2")
        for name, cls in kinds.items()
        if cls.spec.declared_in is not None
    }


def check_templates(root: Path, kinds_dir: Path, handbook: Handbook) -> list[Problem]:
    """Syntax errors, and fields the kind lacks, in each declared kind's template."""
    env = make_environment(TEMPLATES_DIR, kinds_dir)
    problems: list[Problem] = []
    for kind, path in declared_templates(root, handbook.kinds).items():
        display = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = env.parse(text, path.name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(
                Problem(display, exc.lineno or 1, 1, f"template syntax: {syntax_message(env, text, exc)}")
            )
            continue
        problems += _unknown_fields(display, text, tree, handbook.kinds[kind])
    return problems


# Tags that open a block, which `{% endNAME %}` closes.
_BLOCK_TAGS = {"for", "if", "macro", "block", "call", "filter", "with", "autoescape", "raw", "trans"}


def syntax_message(env: jinja2.Environment, text: str, exc: jinja2.TemplateSyntaxError) -> str:
    """Jinja's message, led by what to do when a block is left open: the tag that opened it,
    at its line, and the tag that closes it."""
    message = exc.message or "syntax error"
    if "needs to be closed" not in message and "looking for the following tags" not in message:
        return message
    open_tags: list[tuple[str, int]] = []
    tokens = _tokens(env, text)
    for line, name in tokens:
        if exc.lineno and line > exc.lineno:
            break
        if name in _BLOCK_TAGS:
            open_tags.append((name, line))
        elif name.startswith("end") and open_tags and open_tags[-1][0] == name[3:]:
            open_tags.pop()
    if not open_tags:
        return message
    tag, line = open_tags[-1]
    where = "at the end of the template" if "end of template" in message else f"before line {exc.lineno}"
    return f"'{{% {tag} %}}' at line {line} is not closed: add '{{% end{tag} %}}' {where}"


def _tokens(env: jinja2.Environment, text: str) -> list[tuple[int, str]]:
    """(line, tag name) of each `{% tag %}`, as far as the template can be read."""
    found: list[tuple[int, str]] = []
    after_begin = False
    try:
        for line, kind, value in env.lex(text):
            if kind == "block_begin":
                after_begin = True
            elif after_begin and kind == "name":
                found.append((line, value))
                after_begin = False
            elif kind != "whitespace":
                after_begin = False
    except jinja2.TemplateSyntaxError:
        pass
    return found


def render_problems(root: Path, kinds_dir: Path, handbook: Handbook, skip: set[str]) -> list[Problem]:
    """Render every playbook of each declared kind (except those whose template or playbook
    file is in `skip`, the files with problems already: an unknown id in a playbook is its own
    problem, not its template's): the first failure of each template, as a problem at its
    line. A build renders them anyway and reports a failure the same way (`failure_problem`)."""
    renderer = Renderer(handbook, make_environment(TEMPLATES_DIR, kinds_dir), review.today())
    problems = []
    for kind, path in declared_templates(root, handbook.kinds).items():
        if path.relative_to(root).as_posix() in skip:
            continue
        for pb in handbook.playbooks:
            if pb.model.kind == kind and pb.source.display not in skip:
                try:
                    renderer.playbook_page(pb.model, pb.source.display)
                except TemplateFailure as exc:
                    problems.append(failure_problem(root, exc) or Problem(pb.source.display, 1, 1, str(exc)))
                    break
    return problems


def failure_problem(root: Path, failure: TemplateFailure) -> Problem | None:
    """A failure while rendering a playbook of a declared kind, as a problem in its template (at
    the failing line when the failure is in that template itself); None for a built-in kind."""
    if failure.playbook is None or failure.playbook[0].spec.declared_in is None:
        return None
    playbook, source = failure.playbook
    template = (root / str(playbook.spec.declared_in)).with_suffix(".md.j2")
    line = (failure.line if Path(failure.template).name == template.name else 1) or 1
    display = template.relative_to(root).as_posix()
    return Problem(
        display, line, _column(template, line, failure.message), f"rendering {source}: {failure.message}"
    )


def _column(template: Path, line: int, message: str) -> int:
    """Where on its line a template failed: the first name the message quotes that the line
    holds, else the first macro call on it, else its start."""
    row = template_line(template, line)
    for quoted in re.findall(r"'([^']+)'", message):
        if (col := row.find(quoted)) != -1:
            return col + 1
    call = re.search(r"\bm\.\w+\s*\(", row)
    return call.start() + 1 if call else 1


def _fields_of(cls: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Each field of a model → the entry class of its items, if it is a list of entries."""
    return {name: list_item_model(info.annotation) for name, info in cls.model_fields.items()}


def _unknown_fields(display: str, text: str, tree: nodes.Template, cls: type[Playbook]) -> Iterator[Problem]:
    """`pb.NAME`, and `ITEM.NAME` inside `{% for ITEM in pb.ENTRIES %}`, for a NAME the kind lacks."""
    lines = text.splitlines()

    def visit(node: nodes.Node, scope: dict[str, type[BaseModel]]) -> Iterator[Problem]:
        if isinstance(node, nodes.For) and isinstance(node.target, nodes.Name):
            item = _entries_class(node.iter, scope)
            inner = {**scope, node.target.name: item} if item else scope
            yield from visit(node.iter, scope)
            for child in node.body:
                yield from visit(child, inner)
            for child in node.else_:
                yield from visit(child, scope)
            return
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and node.node.name in scope
            and node.attr not in scope[node.node.name].model_fields
            and node.attr not in _PROPERTIES
        ):
            owner = scope[node.node.name]
            written = f"{node.node.name}.{node.attr}"
            line = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
            col = line.find(written) + 1 or 1
            fields = ", ".join(owner.model_fields)
            yield Problem(
                display,
                node.lineno,
                col,
                f"'{written}' is not a field of {_noun(owner)}; its fields: {fields}",
            )
        for child in node.iter_child_nodes():
            yield from visit(child, scope)

    yield from visit(tree, {"pb": cls})


def _entries_class(node: nodes.Node, scope: dict[str, type[BaseModel]]) -> type[BaseModel] | None:
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name in scope:
        return _fields_of(scope[node.node.name]).get(node.attr)
    return None


def _noun(cls: type[BaseModel]) -> str:
    spec = getattr(cls, "spec", None)
    return f"a {spec.name} playbook" if spec is not None else f"an entry '{entry_type(cls)}'"
