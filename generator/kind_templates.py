"""The templates of declared kinds (`kinds/NAME.md.j2`), checked like content: a syntax error, a
field the kind does not declare, or a failure while rendering one of its playbooks is a problem
at `kinds/NAME.md.j2:LINE:COL`, not a traceback during the build.

Built-in templates are the generator's own code: their tests are the golden pages.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from .model import Playbook, unwrap_type
from .problems import Problem
from .render import TEMPLATES_DIR, Renderer, TemplateFailure, make_environment
from .validate import Handbook

# What a template may read from `pb` or an entry besides its fields.
_PROPERTIES = {"label", "review_months", "spec", "label_field", "attachments"}


def check_templates(
    root: Path, kinds_dir: Path, templates: dict[str, Path], handbook: Handbook, render: bool
) -> list[Problem]:
    """Problems in each declared kind's template; with `render`, also render its playbooks."""
    env = make_environment(TEMPLATES_DIR, kinds_dir)
    problems: list[Problem] = []
    for kind, path in templates.items():
        display = path.relative_to(root).as_posix()
        if not path.is_file():
            continue  # the declaration reports it
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = env.parse(text, path.name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(display, exc.lineno or 1, 1, f"template syntax: {exc.message}"))
            continue
        cls = handbook.kinds[kind]
        found = list(_unknown_fields(display, text, tree, cls))
        problems += found
        if render and not found:
            problems += _trial_render(display, handbook, env, cls)
    return problems


def _fields_of(cls: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Each field of a model → the entry class of its items, if it is a list of entries."""
    out: dict[str, type[BaseModel] | None] = {}
    for name, info in cls.model_fields.items():
        tp = unwrap_type(info.annotation)
        args = typing.get_args(tp) if typing.get_origin(tp) is list else ()
        item = unwrap_type(args[0]) if args else None
        out[name] = item if isinstance(item, type) and issubclass(item, BaseModel) else None
    return out


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
    return (
        f"a {spec.name} playbook"
        if spec is not None
        else f"an entry '{getattr(cls, 'type_name', cls.__name__)}'"
    )


def _trial_render(
    display: str, handbook: Handbook, env: jinja2.Environment, cls: type[Playbook]
) -> list[Problem]:
    renderer = Renderer(handbook, env, dt.date.today())
    for pb in handbook.playbooks:
        if type(pb.model) is cls:
            try:
                renderer.playbook_page(pb.model, pb.source.display)
            except TemplateFailure as exc:
                line = exc.line if exc.template.endswith(Path(display).name) else 1
                return [Problem(display, line or 1, 1, f"rendering {pb.source.display}: {exc.message}")]
    return []
