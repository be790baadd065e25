"""Find the workspace and read kb's settings from its mkdocs.yml.

A workspace is a folder with ``mkdocs.yml``. kb's settings are the options of the ``kb`` plugin
entry in that file, so the site and the CLI read one configuration. They are declared once here
(``SETTINGS``), validated when read, and the MkDocs plugin declares the same names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from kb import i18n
from kb.errors import ConfigError, WorkspaceNotFound
from kb.schema import BUILTIN_TYPES, Schema

CONFIG_FILE = "mkdocs.yml"
LANGUAGES = i18n.LANGUAGES  # one catalog each in kb/locale


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML loader that reads MkDocs' ``!!python/name:`` and ``!ENV`` tags as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


# name -> (type, default, help). The MkDocs plugin declares the same options from this table.
SETTINGS: dict[str, tuple[type, Any, str]] = {
    "language": (str, "", "language of templates and generated pages: en or zh"),
    "docs_sections": (dict, {}, "folder under docs/ for each entry type"),
    "id_prefixes": (dict, {}, "id prefix for each entry type, e.g. {lesson: LL}"),
    "allowed_values": (dict, {}, "extra allowed values per field, e.g. {project_type: [mining]}"),
    "required_fields": (dict, {}, "extra required fields per entry type"),
    "extra_fields": (dict, {}, "the workspace's own optional fields per entry type"),
    "stale_draft_days": (int, 90, "warn about drafts not updated for this many days"),
    "max_entry_kb": (int, 2048, "entry files larger than this are refused"),
    "max_import_mb": (
        int,
        100,
        "kb import refuses a file (an .xlsx: its unpacked contents) larger than this; 0: no limit",
    ),
    "max_import_rows": (
        int,
        200_000,
        "kb import refuses a sheet with more rows than this; 0: no limit",
    ),
    "index_dir": (str, ".kb/index", "where the search index lives, relative to the workspace"),
    "glossary": (
        str,
        "",
        "a YAML file of the organization's search terms (synonyms, English-Chinese equivalents)",
    ),
    "check_on_build": (bool, True, "report `kb check` problems as MkDocs warnings"),
    "check_level": (
        str,
        "error",
        "which `kb check` problems become MkDocs warnings: error, or warning for all of them",
    ),
    "pages": (bool, True, "generate the registers, dashboards and project pages"),
    "nav_entries": (
        int,
        50,
        "list a type's entries in the navigation up to this many; above, only its register",
    ),
}


@dataclass
class Settings:
    """kb's validated settings for one workspace."""

    language: str = "en"
    docs_sections: dict[str, str] = field(default_factory=dict)
    id_prefixes: dict[str, str] = field(default_factory=dict)
    allowed_values: dict[str, list[str]] = field(default_factory=dict)
    required_fields: dict[str, list[str]] = field(default_factory=dict)
    extra_fields: dict[str, list[str]] = field(default_factory=dict)
    stale_draft_days: int = 90
    max_entry_kb: int = 2048
    max_import_mb: int = 100
    max_import_rows: int = 200_000
    index_dir: str = ".kb/index"
    glossary: str = ""
    check_on_build: bool = True
    check_level: str = "error"
    pages: bool = True
    nav_entries: int = 50


def validate_settings(
    raw: dict[str, Any], where: str = CONFIG_FILE, theme_language: str = ""
) -> Settings:
    """Check the kb plugin options and return Settings; raise ConfigError naming each problem."""
    problems = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SETTINGS:
            problems.append(
                f"{where}: plugins.kb.{key}: unknown setting; known: {', '.join(SETTINGS)}"
            )
            continue
        kind, _, _ = SETTINGS[key]
        if value is None:
            continue
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(f"{where}: plugins.kb.{key}: expected a whole number")
        elif kind is int and value < 0:
            problems.append(f"{where}: plugins.kb.{key}: expected 0 or more, found {value}")
        elif kind is not int and not isinstance(value, kind):
            problems.append(f"{where}: plugins.kb.{key}: expected a {kind.__name__}")
        else:
            values[key] = value
    language = values.get("language") or theme_language or "en"
    language = str(language).split("_")[0].split("-")[0].lower()
    if language not in LANGUAGES:
        problems.append(f"{where}: plugins.kb.language: {language!r} is not one of en, zh")
    values["language"] = language
    if values.get("check_level", "error") not in ("error", "warning"):
        problems.append(f"{where}: plugins.kb.check_level: expected error or warning")
    problems.extend(_schema_setting_problems(values, where))
    if problems:
        raise ConfigError("\n".join(problems))
    return Settings(**values)


_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*$")
_FOLDER = re.compile(r"^[^/\\.][^/\\]*(/[^/\\.][^/\\]*)*$")


def _schema_setting_problems(values: dict[str, Any], where: str) -> list[str]:
    """Problems in the settings that change the schema: names must exist, values must fit."""
    problems = []
    types = {t.name: t for t in BUILTIN_TYPES}
    choice_fields = {f.name for t in BUILTIN_TYPES for f in t.fields if f.choices}

    def per_type(key: str) -> dict[str, Any]:
        mapping = values.get(key, {})
        for name in mapping:
            if name not in types:
                problems.append(
                    f"{where}: plugins.kb.{key}.{name}: unknown entry type; "
                    f"use one of {', '.join(types)}"
                )
        return {k: v for k, v in mapping.items() if k in types}

    prefixes = per_type("id_prefixes")
    for name, prefix in prefixes.items():
        if not isinstance(prefix, str) or not _PREFIX.match(prefix):
            problems.append(
                f"{where}: plugins.kb.id_prefixes.{name}: {prefix!r} is not a valid prefix "
                "(capital letters and digits, starting with a letter, e.g. LL)"
            )
    effective = {n: prefixes.get(n, t.prefix) for n, t in types.items()}
    seen: dict[str, str] = {}
    for name, prefix in effective.items():
        if prefix in seen:
            problems.append(
                f"{where}: plugins.kb.id_prefixes: {seen[prefix]} and {name} both use {prefix}"
            )
        seen[prefix] = name
    for key in ("required_fields", "extra_fields"):
        for name, items in per_type(key).items():
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                problems.append(f"{where}: plugins.kb.{key}.{name}: expected a list of names")
    for name, items in values.get("allowed_values", {}).items():
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            problems.append(f"{where}: plugins.kb.allowed_values.{name}: expected a list of names")
        elif name not in choice_fields:
            problems.append(
                f"{where}: plugins.kb.allowed_values.{name}: not a field with allowed values; "
                f"use one of {', '.join(sorted(choice_fields))}"
            )
    for name, folder in per_type("docs_sections").items():
        if not isinstance(folder, str) or not _FOLDER.match(folder):
            problems.append(
                f"{where}: plugins.kb.docs_sections.{name}: {folder!r} must be a folder inside "
                "docs/, e.g. lessons"
            )
    return problems


@dataclass
class Workspace:
    """A knowledge-base workspace: its root folder, settings and schema."""

    root: Path
    settings: Settings
    mkdocs_config: dict[str, Any]

    @property
    def docs_dir(self) -> Path:
        """The MkDocs docs folder (``docs_dir`` in mkdocs.yml, default docs)."""
        return self.root / str(self.mkdocs_config.get("docs_dir") or "docs")

    @property
    def index_dir(self) -> Path:
        """Where the Whoosh index is kept."""
        return self.root / self.settings.index_dir

    @property
    def glossary_path(self) -> Path | None:
        """The organization's glossary file (setting ``glossary``), or None."""
        return self.root / self.settings.glossary if self.settings.glossary else None

    @property
    def state_dir(self) -> Path:
        """Private working files of kb (locks, index); ignored by git."""
        return self.root / ".kb"

    @property
    def templates_dir(self) -> Path:
        """The organization's own templates, looked up before the built-in ones."""
        return self.root / "templates"

    @property
    def language(self) -> str:
        """Default language of templates and generated pages."""
        return self.settings.language

    @cached_property
    def schema(self) -> Schema:
        """The schema with this workspace's customizations applied (built once)."""
        return Schema().customized(
            prefixes=self.settings.id_prefixes,
            allowed_values=self.settings.allowed_values,
            required_fields=self.settings.required_fields,
            extra_fields=self.settings.extra_fields,
        )

    def section_dir(self, type_name: str) -> str:
        """Folder under docs/ that holds entries of ``type_name``."""
        etype = self.schema.get(type_name)
        default = etype.section_dir if etype else type_name
        return str(self.settings.docs_sections.get(type_name, default))

    def relpath(self, path: Path) -> str:
        """A path relative to the workspace root, with forward slashes, for messages."""
        for candidate, root in (
            (path.absolute(), self.root.absolute()),
            (path.resolve(), self.root.resolve()),
        ):
            try:  # unresolved first, so a symlink is named by its own path
                return candidate.relative_to(root).as_posix()
            except ValueError:
                continue
        return str(path)


def read_mkdocs_config(path: Path) -> dict[str, Any]:
    """Parse mkdocs.yml, tolerating MkDocs' custom tags; ConfigError when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - safe loader subclass
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return data


def kb_plugin_options(mkdocs_config: dict[str, Any]) -> dict[str, Any]:
    """The options given to the ``kb`` plugin in a parsed mkdocs.yml (empty when absent)."""
    plugins = mkdocs_config.get("plugins") or []
    options: Any = {}
    if isinstance(plugins, dict):
        options = plugins.get("kb") or {}
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, dict) and "kb" in item:
                options = item["kb"] or {}
    if not isinstance(options, dict):
        raise ConfigError(f"{CONFIG_FILE}: plugins.kb: expected a mapping of settings")
    return dict(options)


def theme_language(mkdocs_config: dict[str, Any]) -> str:
    """The ``theme.language`` of a parsed mkdocs.yml, or ''."""
    theme = mkdocs_config.get("theme")
    return str(theme.get("language") or "") if isinstance(theme, dict) else ""


def find_root(start: Path | None = None, root: str | os.PathLike | None = None) -> Path:
    """The workspace root: ``root`` or $KB_ROOT, else the nearest folder with mkdocs.yml."""
    explicit = root or os.environ.get("KB_ROOT")
    if explicit:
        path = Path(explicit).expanduser().resolve()
        if not (path / CONFIG_FILE).is_file():
            raise WorkspaceNotFound(str(path), explicit=True)
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise WorkspaceNotFound(str(here))


def load_workspace(start: Path | None = None, root: str | os.PathLike | None = None) -> Workspace:
    """Find and read a workspace."""
    path = find_root(start, root)
    config = read_mkdocs_config(path / CONFIG_FILE)
    settings = validate_settings(
        kb_plugin_options(config), str(path / CONFIG_FILE), theme_language(config)
    )
    return Workspace(root=path, settings=settings, mkdocs_config=config)
