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

from kb import i18n
from kb.config import LANGUAGES, Workspace
from kb.errors import KbError, UsageError
from kb.fields import FieldError, about, shown_choices, spoken
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


# The fields `kb new` takes from elsewhere than --set: what to do instead (cli.reserved.<field>).
NEW_ENTRY_FIELDS = ("id", "type", "title")


def parse_assignments(
    etype: EntryType, items: list[str] | tuple[str, ...], reserved: Collection[str] = ()
) -> dict[str, Any]:
    """Values from ``--set field=value`` (see ``read_assignments``); UsageError listing every
    problem when one of them cannot be read."""
    values, problems, _ = read_assignments(etype, items, reserved)
    if problems:
        raise UsageError("\n".join(problems))
    return values


def read_assignments(
    etype: EntryType, items: list[str] | tuple[str, ...], reserved: Collection[str] = ()
) -> tuple[dict[str, Any], list[str], set[str]]:
    """The values of ``--set field=value`` that can be read, each by its field's kind as a cell
    or a prompt answer is (``budget.planned=100`` sets one part of a mapping); the problems
    with the others, one line each; and the names of the fields those problems are about.

    A field ``etype`` does not have is a problem, and so is a field in ``reserved`` (such as
    ``NEW_ENTRY_FIELDS``): the message says what to do instead. Messages are in the language
    spoken (``kb.fields.speaking``)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    bad: set[str] = set()
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        top, _, sub = name.partition(".")
        try:
            if not sep or not top or (sub == "" and name.endswith(".")):
                raise UsageError(f"{item!r}: " + i18n.text("cli.set.form", spoken()))
            if top in reserved:
                how = i18n.text(f"cli.reserved.{top}", spoken(), type=etype.name)
                raise UsageError(about(top) + how)
            text.encode("utf-8")  # refuses undecodable bytes smuggled in from the shell
            f = etype.field(top)
            if f is None:
                raise UsageError(unknown_field(etype, top))
            if sub:
                part = f.model.read_part(f, sub, text)
                if top in values and not isinstance(values[top], dict):
                    raise UsageError(about(name) + i18n.text("cli.set.single", spoken(), field=top))
                values.setdefault(top, {})[sub] = part
            elif isinstance(values.get(top), dict):
                raise UsageError(about(name) + i18n.text("cli.set.parts", spoken(), field=top))
            else:
                values[top] = f.model.read(f, text)
        except (UsageError, FieldError) as exc:
            problems.append(f"--set {exc}")
            bad.add(top)
        except UnicodeEncodeError:
            problems.append(f"--set {about(name)}" + i18n.text("cli.set.utf8", spoken()))
            bad.add(top)
    return values, problems, bad


def reference_problems(f: Field, value: Any, known_ids: Collection[str]) -> list[str]:
    """A line for each id in a reference field's value that names no entry of the workspace, in
    the language spoken."""
    refs = value if isinstance(value, list) else [value]
    lang = spoken()
    problems = []
    for ref in refs:
        if isinstance(ref, str) and ref and ref not in known_ids:
            same_kind = [i for i in known_ids if i.split("-")[0] == ref.split("-")[0]]
            hint = closest(ref, same_kind)
            line = about(f.name) + i18n.text("cli.ref_missing", lang, ref=ref)
            problems.append(line + (i18n.text("cli.ref_hint", lang, hint=hint) if hint else ""))
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


def value_problems(etype: EntryType, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems with the values given to `kb new`, missing required ones included: the field
    and a line saying what is wrong, in the language spoken."""
    lang = spoken()
    problems = []
    for f in etype.fields:
        if f.name in ("id", "type"):
            continue
        value = values.get(f.name)
        blank = isinstance(value, str) and value != "" and not value.strip()
        if value in (None, "", []) or (blank and f.required):
            if f.required:
                problems.append((f.name, about(f.name) + _missing(etype, f, blank, lang)))
            continue
        issues = check_value(f, values[f.name])
        problems.extend((f.name, i.message) for i in issues if i.level == "error")
    return problems


def _missing(etype: EntryType, f: Field, blank: bool, lang: str) -> str:
    """What to say of a required field that was not given: its allowed values or its hint,
    and how to give it."""
    state = i18n.text("cli.blank" if blank else "cli.required", lang)
    hint = shown_choices(f.choices) if f.choices else f.hint(lang)
    if f.name == "title":
        how = i18n.text("cli.give_title", lang, type=etype.name)
    else:
        how = i18n.text("cli.give_set", lang, name=f.name)
    if hint:
        return i18n.text("cli.missing_field", lang, state=state, hint=hint, how=how)
    return i18n.text("cli.missing_field_bare", lang, state=state, how=how)


# ---------------------------------------------------------------------------------------------
# kb init


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
                "content.action.edit",
            ],
            "palette": [
                {
                    "media": "(prefers-color-scheme: light)",
                    "scheme": "default",
                    "primary": "indigo",
                    "accent": "indigo",
                    "toggle": {
                        "icon": "material/weather-night",
                        "name": i18n.text("init.dark_mode", lang),
                    },
                },
                {
                    "media": "(prefers-color-scheme: dark)",
                    "scheme": "slate",
                    "primary": "indigo",
                    "accent": "indigo",
                    "toggle": {
                        "icon": "material/weather-sunny",
                        "name": i18n.text("init.light_mode", lang),
                    },
                },
            ],
        },
        "plugins": [
            # No `search`: the kb plugin brings the site's search (Pagefind, with facets and
            # Chinese); listing Material's search plugin here would keep lunr instead.
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
    site = site_name or i18n.text("init.site_name", lang)
    files: dict[Path, str] = {
        target / "mkdocs.yml": mkdocs_yml(site, lang),
        target / ".gitignore": "/site/\n/.kb/\n",
        target / "docs" / "index.md": i18n.text("init.home", lang, site=site),
    }
    for etype in BUILTIN_TYPES:
        title = i18n.text(f"init.section.{etype.name}", lang)
        files[target / "docs" / etype.section_dir / "index.md"] = f"# {title}\n"
    source = builtin_templates_dir()
    for template in sorted(source.rglob("*.j2")):
        files[target / "templates" / template.relative_to(source)] = template.read_text("utf-8")
    existing = [p for p in files if p.exists()]
    if existing:
        names = i18n.text("search_cli.separator", lang).join(str(p) for p in existing)
        raise KbError(i18n.text("cli.init_refused", lang, files=names))
    for path, text in files.items():
        write_atomic(path, text, overwrite=False)
    return sorted(files)
