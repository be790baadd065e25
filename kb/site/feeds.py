"""The site's feeds: calendars of the open action items and SOP reviews, and an Atom feed.

``actions.ics`` holds one all-day event per open action item on its due date, and one per SOP
on its review date; ``actions/owner/<slug>.ics`` and ``actions/project/<slug>.ics`` hold the
same for one owner or one project (the project slug is that of the project's page). Events,
not to-dos: Google Calendar ignores VTODO in a subscribed calendar and Outlook shows only the
events of one, so an alarm as a to-do would reach nobody. An item that is done waits for the
PMO's verification and has no date to be reminded of (``kb actions --status done`` lists them),
so the calendars hold the open ones only; an item without a due date has no day to be on.

``feed.xml`` is an Atom feed of the approved lessons learned and risk cases and the SOPs in
force, newest first (by ``updated``, else the filing date; an SOP also by ``effective``), the
last 50: what the organization learned lately.

A rebuild of an unchanged knowledge base on the same day writes the same bytes: UIDs and
Atom ids come from the references and ids, DTSTAMP and ``updated`` from the entries' own dates,
never the time of the build; only the overdue state follows the day. With ``site_url`` set in
mkdocs.yml the links are absolute; without it an event names its page relative to the site
root, and the Atom feed (which sits at the root) links relatively.

Written with ``icalendar``'s documented API (``Calendar.new``, ``Event.new``) and the standard
library's ``xml.etree``.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from icalendar import Calendar, Event, vDuration

from kb import i18n
from kb.actions.overdue import Review, sop_reviews
from kb.entry import Entry
from kb.errors import KbError
from kb.registers import ActionItem, action_items
from kb.schema import as_date
from kb.site.catalog import Catalog
from kb.site.tables import entry_section, excerpt
from kb.store import slugify, write_atomic

CALENDAR = "actions.ics"
ATOM = "feed.xml"
OWNER_FOLDER = "actions/owner"
PROJECT_FOLDER = "actions/project"
ATOM_ENTRIES = 50
_ATOM_NS = "http://www.w3.org/2005/Atom"
# Sections whose first words stand for an entry in the Atom feed.
_SUMMARY_SECTION = {"lesson": "lesson", "risk": "description", "sop": "purpose"}


@dataclass(frozen=True)
class Site:
    """What the feeds need to know of the built site."""

    name: str
    url: str  # site_url, '' when unset
    page_url: Callable[[str], str | None]  # docs path -> the page's URL below the site root

    @property
    def domain(self) -> str:
        """The right-hand part of every UID: the site's host, else its name as a slug."""
        host = urlsplit(self.url).hostname if self.url else None
        return host or f"{slugify(self.name)}.retro-kb"

    def link(self, docs_path: str) -> str | None:
        """The URL of a page: absolute with site_url, else relative to the site root."""
        url = self.page_url(docs_path)
        if url is None:
            return None
        return (
            urljoin(self.url if self.url.endswith("/") else self.url + "/", url)
            if self.url
            else url
        )


def feed_files(cat: Catalog, site: Site) -> dict[str, bytes]:
    """Every feed file of the site: its path below the site root, and its bytes."""
    lang = cat.language
    items = [i for i in action_items(cat.entries, cat.today) if i.status == "open" and i.due]
    reviews = sop_reviews(cat.entries, cat.today, cat.ws.schema)
    by_id = {e.id: e for e in cat.entries if e.id}
    events = [_item_event(cat, site, i, by_id.get(i.entry_id)) for i in items]
    events += [_review_event(cat, site, r, by_id.get(r.entry_id)) for r in reviews]
    # Ordered by day, then UID, so a rebuild writes the same bytes.
    everything = sorted(zip(_keys(items, reviews), events, strict=True), key=lambda kv: kv[0][:2])
    title = i18n.text("feed.calendar", lang, site=site.name)
    files = {CALENDAR: _calendar(site, CALENDAR, title, everything)}
    owners: dict[str, list] = defaultdict(list)
    names: dict[str, str] = {}
    projects: dict[str, list] = defaultdict(list)
    for key, event in everything:
        _, _, owner, project = key
        if owner:
            slug = slugify(owner)
            owners[slug].append((key, event))
            names.setdefault(slug, owner)
        if project:
            projects[cat.project_slug(project)].append((key, event))
            names.setdefault("project:" + cat.project_slug(project), project)
    for slug, chosen in sorted(owners.items()):
        title = i18n.text("feed.calendar_owner", lang, site=site.name, owner=names[slug])
        path = f"{OWNER_FOLDER}/{slug}.ics"
        files[path] = _calendar(site, path, title, chosen)
    for slug, chosen in sorted(projects.items()):
        name = names["project:" + slug]
        title = i18n.text("feed.calendar_project", lang, site=site.name, project=name)
        path = f"{PROJECT_FOLDER}/{slug}.ics"
        files[path] = _calendar(site, path, title, chosen)
    files[ATOM] = atom_feed(cat, site)
    return files


def write_feeds(site_dir: Path, cat: Catalog, site: Site) -> list[str]:
    """Write every feed into the built site (each through a temporary file); their paths."""
    files = feed_files(cat, site)
    for rel, data in files.items():
        write_atomic(site_dir / rel, data, overwrite=True)
    return sorted(files)


def build_feeds(
    site_dir: str | Path, cat: Catalog, urls: Mapping[str, str], name: str, url: str | None
) -> list[str]:
    """The plugin's one call after a build: the feeds of the site whose pages' URLs (by docs
    path) are ``urls``; a write that fails stops the build with the reason."""
    from mkdocs.exceptions import PluginError

    site = Site(name=name, url=url or "", page_url=urls.get)
    try:
        return write_feeds(Path(site_dir), cat, site)
    except KbError as exc:
        raise PluginError(str(exc)) from None


def owner_feed(owner: str) -> str:
    """The path of one owner's calendar below the site root."""
    return f"{OWNER_FOLDER}/{slugify(owner)}.ics"


def project_feed(cat: Catalog, project: str) -> str:
    """The path of one project's calendar below the site root."""
    return f"{PROJECT_FOLDER}/{cat.project_slug(project)}.ics"


# ---------------------------------------------------------------------------------------------
# Calendars


def _keys(items: Iterable[ActionItem], reviews: Iterable[Review]) -> list[tuple]:
    """(day, uid part, owner, project) of each event, in the order the events were made."""
    keys: list[tuple] = [(i.due, i.ref, i.owner, i.project) for i in items]
    keys += [(r.review_due, r.entry_id or r.path, r.owner, r.project) for r in reviews]
    return keys


def _stamp(entry: Entry | None, *more: dt.date | None) -> dt.datetime:
    """DTSTAMP: the latest date the entry itself records, at midnight UTC."""
    dates = [d for d in more if d]
    if entry is not None:
        dates += [d for k in ("updated", "date") if (d := as_date(entry.meta.get(k)))]
    day = max(dates, default=dt.date(1970, 1, 1))
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _item_event(cat: Catalog, site: Site, item: ActionItem, entry: Entry | None) -> Event:
    lang = cat.language
    due = item.due or cat.today
    key = "feed.overdue" if item.overdue_days > 0 else "feed.summary"
    owner = item.owner or "—"
    lines = [
        i18n.text("feed.ref", lang, ref=item.ref),
        i18n.text("feed.owner", lang, owner=owner),
        i18n.text("feed.due", lang, date=due.isoformat()),
    ]
    if item.overdue_days > 0:
        lines.append(i18n.text("count.days_overdue", lang, count=item.overdue_days))
    lines.append(i18n.text("feed.entry", lang, id=item.entry_id, title=item.entry_title))
    url = site.link(cat.docs_path(entry)) if entry is not None else None
    if url:
        lines.append(i18n.text("feed.link", lang, url=url))
    return Event.new(
        uid=f"{item.ref}@{site.domain}",
        stamp=_stamp(entry),
        start=due,
        end=due + dt.timedelta(days=1),
        summary=i18n.text(key, lang, action=item.action, owner=owner),
        description="\n".join(lines),
        categories=[item.project] if item.project else (),
        transparency="TRANSPARENT",
        status="CONFIRMED",
        url=url if url and site.url else None,
    )


def _review_event(cat: Catalog, site: Site, review: Review, entry: Entry | None) -> Event:
    lang = cat.language
    key = "feed.review_overdue" if review.overdue_days > 0 else "feed.review"
    day = review.review_due
    lines = [
        i18n.text("feed.review_due", lang, date=day.isoformat()),
        i18n.text("feed.owner", lang, owner=review.owner or "—"),
    ]
    if review.overdue_days > 0:
        lines.append(i18n.text("count.days_overdue", lang, count=review.overdue_days))
    url = site.link(cat.docs_path(entry)) if entry is not None else None
    if url:
        lines.append(i18n.text("feed.link", lang, url=url))
    effective = as_date(entry.meta.get("effective")) if entry is not None else None
    return Event.new(
        uid=f"{review.entry_id or slugify(review.path)}-review@{site.domain}",
        stamp=_stamp(entry, effective),
        start=day,
        end=day + dt.timedelta(days=1),
        summary=i18n.text(key, lang, id=review.entry_id, title=review.title),
        description="\n".join(lines),
        categories=[review.project] if review.project else (),
        transparency="TRANSPARENT",
        status="CONFIRMED",
        url=url if url and site.url else None,
    )


def _calendar(site: Site, path: str, name: str, events: Iterable[tuple[tuple, Event]]) -> bytes:
    """A calendar of ``events``; ``name`` is what a calendar client calls it (NAME, and the
    X-WR-CALNAME that Outlook and Google Calendar read)."""
    refresh = dt.timedelta(hours=12)
    cal = Calendar.new(
        name=name,
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"https://{site.domain}/{path}"),
        prodid="-//retro-kb//action items//EN",
        calscale="GREGORIAN",
        method="PUBLISH",
        refresh_interval=refresh,
        subcomponents=[event for _, event in events],
    )
    cal.add("x-published-ttl", vDuration(refresh))  # Outlook's refresh interval
    return cal.to_ical()


# ---------------------------------------------------------------------------------------------
# Atom


def _changed(cat: Catalog, entry: Entry) -> dt.date | None:
    """The day an entry last changed, as its front matter says."""
    keys = (
        ("updated", "effective", "date") if cat.type_name(entry) == "sop" else ("updated", "date")
    )
    dates = [d for k in keys if (d := as_date(entry.meta.get(k)))]
    return max(dates, default=None)


def _rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _feed_entries(cat: Catalog) -> list[tuple[dt.date, Entry]]:
    chosen = []
    for entry in cat.entries:
        kind = cat.type_name(entry)
        if kind not in ("lesson", "risk", "sop") or entry.meta.get("status") != "approved":
            continue
        day = _changed(cat, entry)
        if day is not None:
            chosen.append((day, entry))
    chosen.sort(key=lambda de: (-de[0].toordinal(), de[1].id or de[1].relpath))
    return chosen[:ATOM_ENTRIES]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _atom_id(site: Site, name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://{site.domain}/{name}").urn


def atom_feed(cat: Catalog, site: Site) -> bytes:
    """``feed.xml``: the approved lessons and risk cases and the SOPs in force, newest first."""
    lang = cat.language
    chosen = _feed_entries(cat)
    # The namespace as a plain attribute: children then need no prefix (and no global
    # ET.register_namespace); a parser reads every element in the Atom namespace.
    root = ET.Element("feed", {"xmlns": _ATOM_NS, "xml:lang": lang})
    _sub(root, "title", i18n.text("feed.atom_title", lang, site=site.name))
    _sub(root, "subtitle", i18n.text("feed.atom_subtitle", lang))
    _sub(root, "id", site.url or _atom_id(site, ATOM))
    newest = chosen[0][0] if chosen else dt.date(1970, 1, 1)
    _sub(root, "updated", _rfc3339(newest))
    _sub(root, "link", rel="self", href=urljoin(site.url, ATOM) if site.url else ATOM)
    _sub(root, "link", rel="alternate", href=site.url or "./")
    _sub(root, "generator", "retro-kb")
    for day, entry in chosen:
        root.append(_atom_entry(cat, site, entry, day))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _atom_entry(cat: Catalog, site: Site, entry: Entry, day: dt.date) -> ET.Element:
    lang = cat.language
    etype = cat.type_of(entry)
    kind = cat.type_name(entry)
    label = etype.label(lang) if etype else kind
    if kind == "sop":
        version = str(entry.meta.get("version") or "")
        title = i18n.text("feed.atom_sop", lang, type=label, version=version, title=entry.title)
    else:
        title = i18n.text("feed.atom_entry", lang, type=label, title=entry.title)
    element = ET.Element("entry")
    _sub(element, "title", title)
    _sub(element, "id", _atom_id(site, entry.id or entry.relpath))
    _sub(element, "updated", _rfc3339(day))
    link = site.link(cat.docs_path(entry))
    if link:
        _sub(element, "link", rel="alternate", href=link)
    author = _sub(element, "author")
    _sub(author, "name", str(entry.meta.get("owner") or site.name))
    _sub(element, "category", term=kind, label=label)
    summary = excerpt(entry_section(cat, entry, _SUMMARY_SECTION.get(kind, "")), 400)
    if summary:
        _sub(element, "summary", summary)
    return element
