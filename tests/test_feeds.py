"""The site's feeds after a real `mkdocs build`: actions.ics (parsed back with icalendar) and
feed.xml (parsed as Atom XML)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from kb.scaffold import mkdocs_yml
from tests.conftest import entry_text

ATOM = "{http://www.w3.org/2005/Atom}"
DOMAIN = "test-kb.retro-kb"  # the UID domain of a site without site_url, named "Test KB"

RETRO = entry_text(
    """
    id: RETRO-0001
    type: retrospective
    title: ERP roll-out
    date: 2024-06-01
    updated: 2024-06-20
    owner: Anna Schmidt
    status: approved
    project: ERP roll-out
    project_type: it-implementation
    phase: whole-project
    outcome: succeeded
    actions:
      - action: Rehearse the data migration twice
        owner: Anna Schmidt
        due: 2020-08-31
        status: open
      - action: Name a data owner, per object
        owner: Ben Ng
        due: 2099-09-30
        status: open
      - action: Write the cut-over checklist
        owner: Ben Ng
        due: 2020-05-31
        status: done
    """,
    "# ERP roll-out\n",
)
SOP = entry_text(
    """
    id: SOP-0001
    type: sop
    title: Cut-over checklist
    date: 2024-01-10
    owner: Cleo Park
    status: approved
    version: '1.1'
    effective: 2024-02-01
    review_due: 2020-02-01
    """,
    "# Cut-over checklist\n\n## Purpose\n\nA cut-over that nobody forgets a step of.\n",
)


def lesson(number: int, date: str, status: str = "approved") -> str:
    return entry_text(
        f"""
        id: LL-000{number}
        type: lesson
        title: Lesson {number}
        date: {date}
        owner: Anna Schmidt
        status: {status}
        category: schedule
        phase: executing
        impact: negative
        """,
        f"# Lesson {number}\n\n## Lesson\n\nWhat lesson {number} taught us.\n",
    )


RISK = entry_text(
    """
    id: RISK-0001
    type: risk
    title: Vendor key person leaves
    date: 2024-03-01
    owner: Ben Ng
    status: approved
    category: vendor
    probability: 3
    impact: 4
    trigger: The vendor's lead goes quiet
    response: mitigate
    occurred: false
    """,
    "# Vendor key person leaves\n\n## Risk description\n\nThe vendor's lead may leave.\n",
)
FILES = {
    "docs/retrospectives/RETRO-0001-erp-roll-out.md": RETRO,
    "docs/sops/SOP-0001-cut-over-checklist.md": SOP,
    "docs/lessons/LL-0001-lesson-1.md": lesson(1, "2024-04-01"),
    "docs/lessons/LL-0002-lesson-2.md": lesson(2, "2024-05-01"),
    "docs/lessons/LL-0003-lesson-3.md": lesson(3, "2024-07-01", status="draft"),
    "docs/risks/RISK-0001-vendor-key-person-leaves.md": RISK,
}


def build(root: Path) -> subprocess.CompletedProcess:
    """A real `mkdocs build` of the workspace, in a subprocess."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(root / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


def feeds(root: Path) -> dict[str, bytes]:
    site = root / "site"
    found = [site / "actions.ics", site / "feed.xml", *sorted((site / "actions").rglob("*.ics"))]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in found}


def events(data: bytes) -> dict[str, dict]:
    """The calendar's events by UID: summary, description, start, end, stamp, url."""
    cal = Calendar.from_ical(data)
    cal.validate()  # icalendar's own check of the required properties and components
    found = {}
    for event in cal.walk("VEVENT"):
        found[str(event["UID"])] = {
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "stamp": event.decoded("DTSTAMP"),
            "url": str(event.get("URL", "")),
            "transp": str(event["TRANSP"]),
        }
    return found


@pytest.fixture
def site(workspace):
    """site(config=None) -> a built workspace with the entries above."""

    def make(config: str | None = None) -> Path:
        root = workspace(FILES, config=config)
        build(root)
        return root

    return make


def test_calendar_holds_open_items_and_sop_reviews(site):
    root = site()
    cal = Calendar.from_ical((root / "site" / "actions.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "Test KB: action items"
    assert str(cal["METHOD"]) == "PUBLISH"
    found = events((root / "site" / "actions.ics").read_bytes())
    # The open items and the SOP review; not the done item.
    assert set(found) == {
        f"RETRO-0001#1@{DOMAIN}",
        f"RETRO-0001#2@{DOMAIN}",
        f"SOP-0001-review@{DOMAIN}",
    }
    late = found[f"RETRO-0001#1@{DOMAIN}"]
    assert late["summary"] == "Overdue: Rehearse the data migration twice (Anna Schmidt)"
    assert late["start"] == dt.date(2020, 8, 31) and late["end"] == dt.date(2020, 9, 1)
    assert late["stamp"] == dt.datetime(2024, 6, 20, tzinfo=dt.UTC)  # the entry's updated
    assert late["transp"] == "TRANSPARENT"  # an alarm, not a busy day
    assert "Action item RETRO-0001#1" in late["description"]
    assert (
        "days overdue" in late["description"]
        and "From RETRO-0001: ERP roll-out" in (late["description"])
    )
    # Without site_url the page is named relative to the site root, and there is no URL.
    assert "Page: retrospectives/RETRO-0001-erp-roll-out/" in late["description"]
    assert late["url"] == ""
    later = found[f"RETRO-0001#2@{DOMAIN}"]
    assert later["summary"] == "Name a data owner, per object (Ben Ng)"
    assert "overdue" not in later["description"]
    review = found[f"SOP-0001-review@{DOMAIN}"]
    assert review["summary"] == "SOP review overdue: SOP-0001 Cut-over checklist"
    assert review["start"] == dt.date(2020, 2, 1)
    assert review["stamp"] == dt.datetime(2024, 2, 1, tzinfo=dt.UTC)  # effective, the latest


def test_owner_and_project_calendars(site):
    root = site()
    owners = root / "site" / "actions" / "owner"
    assert sorted(p.name for p in owners.iterdir()) == [
        "anna-schmidt.ics",
        "ben-ng.ics",
        "cleo-park.ics",
    ]
    assert set(events((owners / "ben-ng.ics").read_bytes())) == {f"RETRO-0001#2@{DOMAIN}"}
    assert set(events((owners / "cleo-park.ics").read_bytes())) == {f"SOP-0001-review@{DOMAIN}"}
    name = Calendar.from_ical((owners / "ben-ng.ics").read_bytes())["X-WR-CALNAME"]
    assert str(name) == "Test KB: action items of Ben Ng"
    project = root / "site" / "actions" / "project" / "erp-roll-out.ics"
    assert set(events(project.read_bytes())) == {
        f"RETRO-0001#1@{DOMAIN}",
        f"RETRO-0001#2@{DOMAIN}",
    }


def test_rebuild_is_byte_identical_and_uids_follow_the_items(site, run):
    root = site()
    first = feeds(root)
    build(root)
    assert feeds(root) == first  # nothing changed: the same bytes
    uids = set(events(first["actions.ics"]))
    # Closing an item takes its event out; the others keep their UIDs even though the
    # edit wrote an id line into every item.
    result = run(root, "actions", "done", "RETRO-0001#1", "--date", "2024-06-30")
    assert result.exit_code == 0, result.output
    build(root)
    after = set(events(feeds(root)["actions.ics"]))
    assert after == uids - {f"RETRO-0001#1@{DOMAIN}"}


def test_atom_feed_lists_what_was_approved_newest_first(site):
    root = site()
    tree = ET.fromstring((root / "site" / "feed.xml").read_bytes())
    assert tree.tag == f"{ATOM}feed"
    assert tree.findtext(f"{ATOM}title") == "Test KB: what the organization learned"
    assert tree.findtext(f"{ATOM}updated") == "2024-05-01T00:00:00Z"
    entries = tree.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    # Approved lessons and risk cases and the SOP in force, newest first; not the draft.
    assert titles == [
        "Lesson learned: Lesson 2",
        "Lesson learned: Lesson 1",
        "Risk case: Vendor key person leaves",
        "SOP 1.1: Cut-over checklist",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}updated") == "2024-05-01T00:00:00Z"
    assert first.find(f"{ATOM}link").get("href") == "lessons/LL-0002-lesson-2/"
    assert first.findtext(f"{ATOM}summary") == "What lesson 2 taught us."
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Anna Schmidt"
    assert first.findtext(f"{ATOM}id").startswith("urn:uuid:")
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 4


def test_site_url_makes_links_absolute(site):
    config = yaml.safe_load(mkdocs_yml("Test KB", "en"))
    config["site_url"] = "https://pmo.example.com/kb/"
    root = site(yaml.safe_dump(config, allow_unicode=True))
    found = events((root / "site" / "actions.ics").read_bytes())
    event = found["RETRO-0001#1@pmo.example.com"]
    assert event["url"] == "https://pmo.example.com/kb/retrospectives/RETRO-0001-erp-roll-out/"
    tree = ET.fromstring((root / "site" / "feed.xml").read_bytes())
    link = tree.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link == "https://pmo.example.com/kb/lessons/LL-0002-lesson-2/"
    selves = [x.get("href") for x in tree.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert selves == ["https://pmo.example.com/kb/feed.xml"]


def test_tracker_links_the_feeds_and_shows_references(site):
    root = site()
    html = (root / "site" / "registers" / "actions" / "index.html").read_text("utf-8")
    assert 'href="../../actions.ics"' in html
    assert 'href="../../actions/owner/ben-ng.ics"' in html
    assert 'href="../../actions/owner/cleo-park.ics"' in html  # an SOP review
    assert 'href="../../actions/project/erp-roll-out.ics"' in html
    assert 'href="../../feed.xml"' in html
    assert "<td>RETRO-0001#1</td>" in html and "<td>RETRO-0001#3</td>" in html  # open, done
    assert "Done, awaiting verification" in html


def test_a_chinese_site_has_chinese_feeds(workspace):
    root = workspace(FILES, config=mkdocs_yml("知识库", "zh"))
    build(root)
    cal = Calendar.from_ical((root / "site" / "actions.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "知识库：改进行动"
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "已逾期：Rehearse the data migration twice（Anna Schmidt）" in summaries
    tree = ET.fromstring((root / "site" / "feed.xml").read_bytes())
    assert tree.findtext(f"{ATOM}title") == "知识库：组织新知"
    assert tree.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
