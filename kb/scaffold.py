"""Scaffolding: new entries from Jinja2 templates, and new workspaces.

This is the only module that touches jinja2. Templates render the markdown body only; the front
matter is written by a YAML library from the values, so what a user types is always data: a title
of ``{{ 7*7 }}`` stays literal and quotes, colons, newlines and emoji survive the round trip.
Templates run in Jinja's sandbox with StrictUndefined, so a mistyped variable in an organization's
own template fails loudly instead of leaving a blank.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from kb.config import LANGUAGES, Workspace
from kb.errors import KbError, UsageError
from kb.fields import FieldError
from kb.schema import EntryType, Field, check_value, closest, unknown_field
from kb.store import write_atomic


def builtin_templates_dir() -> Path:
    """The templates shipped with retro-kb (inside the wheel, or the repository's templates/)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def _environment(ws: Workspace | None) -> SandboxedEnvironment:
    paths = []
    if ws is not None and ws.templates_dir.is_dir():
        paths.append(str(ws.templates_dir))
    paths.append(str(builtin_templates_dir()))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(paths),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # markdown, not HTML; values are data and never re-rendered
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_body(ws: Workspace | None, etype: EntryType, meta: dict[str, Any], lang: str) -> str:
    """The markdown body of a new entry from the template ``<lang>/<type>.md.j2``."""
    return body_renderer(ws, etype, lang)(meta)


def body_renderer(
    ws: Workspace | None, etype: EntryType, lang: str
) -> Callable[[dict[str, Any]], str]:
    """``render_body`` for many entries of one type (an import): the template is compiled once,
    on the first call, instead of once per entry."""
    name = f"{lang}/{etype.name}.md.j2"
    env = _environment(ws)
    sections = {s.key: s.heading(lang) for s in etype.sections}
    compiled: list[jinja2.Template] = []

    def render(meta: dict[str, Any]) -> str:
        with _template_errors(ws, name):
            if not compiled:
                compiled.append(env.get_template(name))
            return compiled[0].render(entry=meta, type=etype, lang=lang, sections=sections)

    return render


@contextlib.contextmanager
def _template_errors(ws: Workspace | None, name: str) -> Iterator[None]:
    """Jinja's errors as KbError, naming the template (and its line for a syntax error)."""
    try:
        yield
    except jinja2.TemplateNotFound:
        raise KbError(
            f"template {name} not found in {ws.templates_dir if ws else ''} "
            f"or the built-in templates"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise KbError(
            f"{exc.filename or name}:{exc.lineno}: template error: {exc.message}"
        ) from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as exc:
        raise KbError(f"{name}: template error: {exc}") from None


# The fields `kb new` takes from elsewhere than --set: what to do instead.
NEW_ENTRY_FIELDS = {
    "id": "kb new gives the entry the next free id of its type; leave it out "
    "(`kb renumber` changes an id later)",
    "type": "the type is the first argument of kb new: kb new {type} ...",
    "title": 'the title is the second argument of kb new: kb new {type} "TITLE"',
}


def parse_assignments(
    etype: EntryType, items: list[str] | tuple[str, ...], reserved: dict[str, str] | None = None
) -> dict[str, Any]:
    """Values from ``--set field=value`` (see ``read_assignments``); UsageError listing every
    problem when one of them cannot be read."""
    values, problems, _ = read_assignments(etype, items, reserved)
    if problems:
        raise UsageError("\n".join(problems))
    return values


def read_assignments(
    etype: EntryType, items: list[str] | tuple[str, ...], reserved: dict[str, str] | None = None
) -> tuple[dict[str, Any], list[str], set[str]]:
    """The values of ``--set field=value`` that can be read, each by its field's kind as a cell
    or a prompt answer is (``budget.planned=100`` sets one part of a mapping); the problems
    with the others, one line each; and the names of the fields those problems are about.

    A field ``etype`` does not have is a problem, and so is a field in ``reserved`` (such as
    ``NEW_ENTRY_FIELDS``), which says what to do instead."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    bad: set[str] = set()
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        top, _, sub = name.partition(".")
        try:
            if not sep or not top or (sub == "" and name.endswith(".")):
                raise UsageError(f"{item!r}: expected field=value")
            if reserved and top in reserved:
                raise UsageError(f"{top}: {reserved[top].format(type=etype.name)}")
            text.encode("utf-8")  # refuses undecodable bytes smuggled in from the shell
            f = etype.field(top)
            if f is None:
                raise UsageError(unknown_field(etype, top))
            if sub:
                part = f.model.read_part(f, sub, text)
                if top in values and not isinstance(values[top], dict):
                    raise UsageError(f"{name}: {top} was already given a single value")
                values.setdefault(top, {})[sub] = part
            elif isinstance(values.get(top), dict):
                raise UsageError(f"{name}: {top} was already given parts")
            else:
                values[top] = f.model.read(f, text)
        except (UsageError, FieldError) as exc:
            problems.append(f"--set {exc}")
            bad.add(top)
        except UnicodeEncodeError:
            problems.append(f"--set {name}: the value is not valid text (UTF-8)")
            bad.add(top)
    return values, problems, bad


def reference_problems(f: Field, value: Any, known_ids: Collection[str]) -> list[str]:
    """A line for each id in a reference field's value that names no entry of the workspace."""
    refs = value if isinstance(value, list) else [value]
    problems = []
    for ref in refs:
        if isinstance(ref, str) and ref and ref not in known_ids:
            same_kind = [i for i in known_ids if i.split("-")[0] == ref.split("-")[0]]
            hint = closest(ref, same_kind)
            problems.append(
                f"{f.name}: {ref} does not exist" + (f" (did you mean {hint}?)" if hint else "")
            )
    return problems


def ordered_meta(etype: EntryType, values: dict[str, Any]) -> dict[str, Any]:
    """Front matter in schema order, extra fields after, empty optional fields left out."""
    meta: dict[str, Any] = {}
    for f in etype.fields:
        if f.name in values and (f.required or values[f.name] not in (None, "", [], {})):
            meta[f.name] = values[f.name]
    for key, value in values.items():
        if key not in meta and etype.field(key) is None:
            meta[key] = value
    return meta


def value_problems(etype: EntryType, values: dict[str, Any]) -> list[str]:
    """Problems with the values given to `kb new`, one line each, missing required ones included."""
    problems = []
    for f in etype.fields:
        if f.name in ("id", "type"):
            continue
        value = values.get(f.name)
        blank = isinstance(value, str) and value != "" and not value.strip()
        if value in (None, "", []) or (blank and f.required):
            if f.required:
                hint = (
                    f" ({', '.join(f.choices)})"
                    if f.choices
                    else (f" ({f.help})" if f.help else "")
                )
                how = (
                    f'give it as the second argument: kb new {etype.name} "TITLE"'
                    if f.name == "title"
                    else f"give it with --set {f.name}=..."
                )
                problems.append(f"{f.name}: {'blank' if blank else 'required'}{hint}; {how}")
            continue
        problems.extend(i.message for i in check_value(f, values[f.name]) if i.level == "error")
    return problems


# ---------------------------------------------------------------------------------------------
# kb init

_INIT_HOME = {
    "en": "# {site}\n\nThe organization's project retrospectives, lessons learned, risk cases and "
    "standard operating procedures.\n\n- File a retrospective: `kb new retrospective`\n"
    '- Search the past: `kb search "data migration"`\n',
    "zh": "# {site}\n\n组织的项目复盘、经验教训、风险案例与标准作业程序。\n\n"
    '- 提交项目复盘：`kb new retrospective`\n- 检索历史经验：`kb search "数据迁移"`\n',
}

_SECTION_TITLES = {
    "en": {
        "retrospective": "Retrospectives",
        "lesson": "Lessons learned",
        "risk": "Risk cases",
        "sop": "SOPs",
    },
    "zh": {
        "retrospective": "项目复盘",
        "lesson": "经验教训",
        "risk": "风险案例",
        "sop": "标准作业程序",
    },
}


SEARCH_SEPARATOR = (
    r'[\s\u200b\u3000\-_,:!=\[\]()"`/、。，．？！；：]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'
)


_TOGGLE = {
    "en": ("Switch to dark mode", "Switch to light mode"),
    "zh": ("切换到深色模式", "切换到浅色模式"),
}


def mkdocs_yml(site_name: str, lang: str) -> str:
    """The mkdocs.yml of a new workspace: Material, offline-safe, with the kb plugin."""
    config = {
        "site_name": site_name,
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "language": lang,
            "font": False,
            "features": [
                "navigation.tabs",
                "navigation.sections",
                "navigation.indexes",
                "navigation.prune",
                "navigation.top",
                "search.suggest",
                "search.highlight",
                "content.action.edit",
            ],
            "palette": [
                {
                    "media": "(prefers-color-scheme: light)",
                    "scheme": "default",
                    "primary": "indigo",
                    "accent": "indigo",
                    "toggle": {"icon": "material/weather-night", "name": _TOGGLE[lang][0]},
                },
                {
                    "media": "(prefers-color-scheme: dark)",
                    "scheme": "slate",
                    "primary": "indigo",
                    "accent": "indigo",
                    "toggle": {"icon": "material/weather-sunny", "name": _TOGGLE[lang][1]},
                },
            ],
        },
        "plugins": [
            # English stemming for Latin words; Chinese is segmented at build time by jieba
            # (Material's search plugin, with \u200b in the separator). lunr's own "zh" needs
            # jieba in the browser and fails there, so it is not listed.
            {"search": {"lang": ["en"], "separator": SEARCH_SEPARATOR}},
            "tags",
            {"kb": {"language": lang}},
        ],
        "markdown_extensions": [
            "tables",
            "admonition",
            "attr_list",
            "md_in_html",
            {"toc": {"permalink": True}},
        ],
    }
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def init_workspace(target: Path, lang: str, site_name: str | None = None) -> list[Path]:
    """Create a workspace in ``target``; change nothing if any file would be overwritten."""
    from kb.schema import BUILTIN_TYPES

    if lang not in LANGUAGES:
        raise UsageError(f"--lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    site = site_name or ("项目知识库" if lang == "zh" else "Project Knowledge Base")
    files: dict[Path, str] = {
        target / "mkdocs.yml": mkdocs_yml(site, lang),
        target / ".gitignore": "/site/\n/.kb/\n",
        target / "docs" / "index.md": _INIT_HOME[lang].format(site=site),
    }
    for etype in BUILTIN_TYPES:
        title = _SECTION_TITLES[lang][etype.name]
        files[target / "docs" / etype.section_dir / "index.md"] = f"# {title}\n"
    source = builtin_templates_dir()
    for template in sorted(source.rglob("*.j2")):
        files[target / "templates" / template.relative_to(source)] = template.read_text("utf-8")
    existing = [p for p in files if p.exists()]
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise KbError(f"refusing to overwrite existing files: {names}")
    for path, text in files.items():
        write_atomic(path, text, overwrite=False)
    return sorted(files)
