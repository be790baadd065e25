"""The site's search in a real browser: Debian's Chromium, the built site served on 127.0.0.1.

Two sites are built once per session with `kb build` (real Pagefind bundles): the sample
knowledge base's entries in an English workspace, and the same entries in a Chinese workspace.
Every page is checked for console errors and for requests to any host but 127.0.0.1 (the
``_page`` helper of tests/test_browser.py). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from kb.i18n import text
from kb.site.search_markup import EVERY_ENTRY
from tests.conftest import build_tree, entry_text, kb_build
from tests.test_browser import _open, _page, _Quiet, _shot
from tests.test_site import ENTRIES, HOSTILE
from tests.test_site_search import sample_workspace, search_yml

pytestmark = pytest.mark.browser

# The sample's Chinese entries, and its English entries about data migration.
CHINESE = {"LL-0008", "LL-0009", "RETRO-0006", "RISK-0007", "RISK-0008"}
ENGLISH_MIGRATION = {"LL-0001", "RISK-0001", "SOP-0001", "SOP-0002"}


def _serve(root):
    done = kb_build(root)
    assert done.returncode == 0, done.stderr
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def en_url(tmp_path_factory):
    """The sample entries in an English workspace, built and served."""
    yield from _serve(sample_workspace(tmp_path_factory.mktemp("search-en") / "ws", "en"))


@pytest.fixture(scope="session")
def zh_url(tmp_path_factory):
    """The sample entries in a Chinese workspace, built and served."""
    yield from _serve(sample_workspace(tmp_path_factory.mktemp("search-zh") / "ws", "zh"))


@pytest.fixture(scope="session")
def hostile_url(tmp_path_factory):
    """tests/test_site.py's entries, one with hostile front matter, built and served."""
    root = tmp_path_factory.mktemp("search-hostile") / "ws"
    build_tree(root, {"mkdocs.yml": search_yml("Test KB", "en"), **ENTRIES})
    (root / "docs" / "index.md").write_text("# Test KB\n", "utf-8")
    yield from _serve(root)


def _lesson(number: int, title: str, body: str, tags: str, project: str) -> str:
    meta = f"""
        id: LL-{number:04d}
        type: lesson
        title: {title}
        date: 2025-06-{number:02d}
        owner: Anna
        status: approved
        tags: {tags}
        project: {project}
        category: quality
        phase: executing
        impact: negative
    """
    return entry_text(meta, f"# {title}\n\n{body}\n")


# English lessons that say "vendor" in their own title or text, Chinese lessons that have the word
# only in their tags and project (hidden words of the page, and meta), English ones without it.
OWN_TEXT = {"LL-0001", "LL-0002"}
TAGGED_ONLY = {"LL-0003", "LL-0004"}
RANKING = {
    "docs/lessons/LL-0001-a.md": _lesson(
        1,
        "Hold the vendor to the delivery dates",
        "Weekly calls with the delivery manager kept the dates honest; every slip was written"
        " down with its reason and its new date, and the steering group saw the list each month.",
        "[procurement]",
        "Line 3",
    ),
    "docs/lessons/LL-0002-b.md": _lesson(
        2,
        "Plan the cut-over weekend early",
        "The vendor needed four weeks' notice for its engineers on site.",
        "[cut-over]",
        "ERP roll-out",
    ),
    "docs/lessons/LL-0003-c.md": _lesson(
        3,
        "到货前确认手持终端的配置",
        "到货后才发现终端的配置不对，返厂耽误了两周。",
        "[vendor, vendor-delay]",
        "Vendor hardware",
    ),
    "docs/lessons/LL-0004-d.md": _lesson(
        4,
        "上线前完成用户培训",
        "培训安排在上线前一周，仓库作业人员没有时间练习。",
        "[vendor-delay, training]",
        "WMS",
    ),
    "docs/lessons/LL-0005-e.md": _lesson(
        5, "Rehearse the data migration", "Twice, with real data.", "[data-migration]", "ERP"
    ),
    "docs/lessons/LL-0006-f.md": _lesson(
        6, "Freeze the scope before the build", "Changes went to a later release.", "[scope]", "ERP"
    ),
    # An English lesson that says "change request" and "launch" only in its text: a Chinese
    # query finds it through the glossary (变更请求, 投产), not through its hidden words.
    "docs/lessons/LL-0015-g.md": _lesson(
        15,
        "Freeze requirements after sign-off",
        "Every late change request moved the launch by a week.",
        "[requirements]",
        "ERP",
    ),
    # More Chinese lessons without the word: in the Chinese index "vendor" is then a rare word,
    # which counts for more there than in the English one.
    **{
        f"docs/lessons/LL-{n:04d}-zh.md": _lesson(
            n, f"第{n}次复盘的经验", "提前一周确认现场的人员和设备。", "[复盘]", "仓储"
        )
        for n in range(7, 15)
    },
}


@pytest.fixture(scope="session")
def ranking_url(tmp_path_factory):
    """English and Chinese lessons that hold "vendor" in their own text or only in their tags."""
    root = tmp_path_factory.mktemp("search-ranking") / "ws"
    build_tree(root, {"mkdocs.yml": search_yml("Ranking KB", "en"), **RANKING})
    (root / "docs" / "index.md").write_text("# Ranking KB\n", "utf-8")
    yield from _serve(root)


@pytest.fixture
def page(browser, en_url):
    """A page of the English site, checked for console errors and outside requests."""
    yield from _page(browser, en_url)


@pytest.fixture
def zh_page(browser, zh_url):
    """A page of the Chinese site."""
    yield from _page(browser, zh_url)


def _header_search(pg, query: str) -> list[dict]:
    """Type into the header's box; return its results (type, id, title, project, excerpt)."""
    box = pg.locator(".kb-search__input")
    box.click()
    box.fill("")
    box.type(query, delay=10)
    pg.wait_for_function(
        "q => document.querySelector('form.kb-search').dataset.query === q", arg=query
    )
    return _results(pg, ".kb-search__results .kb-result")


def _results(pg, selector: str) -> list[dict]:
    return pg.eval_on_selector_all(
        selector,
        """items => items.map(li => ({
            type: li.querySelector('.kb-result__type')?.textContent || '',
            id: li.querySelector('.kb-result__id')?.textContent || '',
            title: li.querySelector('.kb-result__title').textContent,
            project: li.querySelector('.kb-result__project')?.textContent || '',
            date: li.querySelector('.kb-result__date')?.textContent || '',
            excerpt: li.querySelector('.kb-result__excerpt').innerHTML,
            href: li.querySelector('a').href,
        }))""",
    )


def _page_ready(pg) -> list[dict]:
    """Wait for the search page to finish; return its results."""
    pg.wait_for_selector("#kb-search-page[data-state=ready]")
    return _results(pg, ".kb-results .kb-result")


def _summary(pg) -> str:
    return pg.locator(".kb-search-page__summary").inner_text()


def _ids(results: list[dict]) -> list[str]:
    return [r["id"] for r in results]


def test_english_query_shows_type_id_title_project_and_excerpt(page):
    _open(page)
    results = _header_search(page, "migrations")
    first = results[0]
    assert first["id"] in ENGLISH_MIGRATION
    lesson = next(r for r in results if r["id"] == "LL-0001")
    assert lesson == lesson | {
        "type": "Lesson learned",
        "title": "Rehearse the data migration twice with production-sized data",
        "project": "ERP roll-out",
    }
    # Stemmed: "migrations" finds "migration", highlighted in the entry's own text.
    assert re.search(r"<mark>migration</mark>", lesson["excerpt"], re.I)
    assert "Anna Schmidt" not in lesson["excerpt"]  # not the card
    # The box shows the best 8; the count is of them all.
    total = int(page.locator(".kb-search__status").inner_text().removesuffix(" entries"))
    assert len(results) == min(total, 8) and total > 8
    _shot(page, "search-header-english")


def test_chinese_query_finds_chinese_entries_first_then_english(page):
    _open(page)
    results = _header_search(page, "数据迁移")
    ids = _ids(results)
    chinese = [i for i in ids if i in CHINESE]
    assert {"LL-0008", "RETRO-0006"} <= set(chinese)
    assert ids[: len(chinese)] == chinese, ids  # every Chinese entry above every English one
    assert {"LL-0001", "SOP-0002"} <= set(ids)  # the English ones through the glossary
    assert "Missing" not in page.locator(".kb-search__panel").inner_text()
    assert "<mark>数据</mark>" in results[0]["excerpt"] or "<mark>数据迁移" in results[0]["excerpt"]
    _shot(page, "search-header-chinese")


def test_mixed_query_finds_the_entry_with_both(page):
    _open(page)
    ids = _ids(_header_search(page, "WMS 数据迁移"))
    assert ids[0] == "LL-0008", ids
    # The Chinese lesson that mentions the ERP project first, then the English ERP ones (those
    # that say ERP in their own text above those that are only in the ERP project).
    ids = _ids(_header_search(page, "ERP 数据迁移"))
    assert ids[0] == "LL-0008" and {"LL-0001", "RISK-0001"} <= set(ids), ids


def test_an_entrys_own_text_ranks_above_its_tags_and_project(browser, ranking_url):
    for pg in _page(browser, ranking_url):
        _open(pg)
        ids = _ids(_header_search(pg, "vendor"))
        # Every entry is found, those that say "vendor" first (its project "Vendor hardware" and
        # its tags do not put LL-0003 above them).
        assert set(ids) == OWN_TEXT | TAGGED_ONLY, ids
        assert set(ids[:2]) == OWN_TEXT, ids
        # A project's name still finds its entries, and an id its entry.
        assert _ids(_header_search(pg, "WMS")) == ["LL-0004"]
        assert _ids(_header_search(pg, "LL-0003"))[0] == "LL-0003"


def test_a_result_found_by_hidden_words_shows_the_start_of_its_own_text(browser, ranking_url):
    for pg in _page(browser, ranking_url):
        _open(pg)
        results = {r["id"]: r for r in _header_search(pg, "vendor")}
        # Its tags and project matched, words a reader does not see on the page: the excerpt is
        # the start of its text, with nothing marked, not "Vendor hardware · vendor · ...".
        tagged = results["LL-0003"]["excerpt"]
        assert tagged.startswith("到货后才发现终端的配置不对"), tagged
        assert "<mark>" not in tagged and "Vendor hardware" not in tagged
        # The same for an id: the entry first, its text as the excerpt, not its hidden card.
        by_id = _header_search(pg, "LL-0002")[0]
        assert by_id["id"] == "LL-0002"
        assert by_id["excerpt"].startswith("The vendor needed four weeks"), by_id["excerpt"]
        # A match in the text's last words: the excerpt stops where the text does.
        own = results["LL-0002"]["excerpt"]
        assert "<mark>vendor</mark>" in own.lower() and "ERP roll-out" not in own, own
        assert "LL-0002" not in own and EVERY_ENTRY not in own.lower(), own


def test_a_sentence_finds_the_entries_that_hold_some_of_its_words(browser, ranking_url):
    for pg in _page(browser, ranking_url):
        _open(pg)
        # No entry holds all four words: LL-0001 says weekly and steering, LL-0002 engineers
        # and notice. Each is found, as kb search finds them.
        ids = _ids(_header_search(pg, "engineers notice steering weekly"))
        assert set(ids[:2]) == OWN_TEXT, ids
        # Stop words are left out: the sentence finds what its other words find.
        sentence = _ids(_header_search(pg, "the engineers were given no notice"))
        assert sentence == _ids(_header_search(pg, "engineers given notice"))
        assert sentence[0] == "LL-0002", sentence
        # The entries with every word come first, then those with some, the rarer words first:
        # "notice" is in one entry, "vendor" in four.
        ids = _ids(_header_search(pg, "vendor notice dates"))
        assert ids[0] in OWN_TEXT and set(ids) >= OWN_TEXT | TAGGED_ONLY, ids
        # The search page lists them too.
        _open(pg, "search/?q=engineers+notice+steering+weekly")
        listed = _ids(_page_ready(pg))
        assert set(listed[:2]) == OWN_TEXT
        assert _summary(pg) == f"{len(listed)} entries"
        # A query with a double quote is Pagefind's exact search, taken as typed.
        assert _ids(_header_search(pg, '"four weeks"')) == ["LL-0002"]


def test_a_query_finds_the_glossarys_terms_in_the_other_language(browser, ranking_url):
    for pg in _page(browser, ranking_url):
        _open(pg)
        # 变更请求 is "change request" in the glossary and 投产 "launch": LL-0015 says both in
        # English, and none of its hidden words is Chinese for them, so only the glossary
        # finds it. (Entries that Pagefind finds with the words come first.)
        ids = _ids(_header_search(pg, "变更请求 投产"))
        assert "LL-0015" in ids, ids


def test_the_pieces_of_a_word_numbers_and_ids_are_searched_as_written(page):
    _open(page)
    # "e-bike" is not "e" and "bike": one letter alone would match the start of most words.
    results = _ids(_header_search(page, "e-bike"))
    assert results[0] == "RISK-0006" and len(results) <= 8, results
    # A number is not searched alone (an index without it matches its first digit): the
    # entry that says "47 days" first, no Chinese entry among the first three.
    results = _ids(_header_search(page, "47 days"))
    assert results[0] == "RETRO-0003" and not set(results[:3]) & CHINESE, results
    # An id finds its entry first, above the entries that mention it.
    for entry in ("SOP-0002", "LL-0008", "RISK-0007"):
        assert _ids(_header_search(page, entry))[0] == entry


def test_an_exact_phrase_keeps_its_highlighted_excerpt(page):
    _open(page)
    results = _header_search(page, '"data migration"')
    assert results and all("<mark>" in r["excerpt"] for r in results), results


def test_filters_show_no_count_that_contradicts_the_results(page):
    # No entry holds all of these words: the entries listed hold some of them, and the counts
    # Pagefind has are of those with every word, so the filters show none.
    _open(page, "search/?q=estimates+were+far+too+optimistic")
    results = _page_ready(page)
    assert results and _summary(page) == f"{len(results)} entries"
    assert page.locator(".kb-facet").count() > 0
    assert page.locator(".kb-facet__count").count() == 0
    # Ticking a value still narrows the results.
    page.locator('.kb-facet[data-facet="type"] input').first.check()
    narrowed = _page_ready(page)
    assert 0 < len(narrowed) <= len(results)


def test_a_chinese_sentence_finds_the_entries_that_hold_some_of_its_words(zh_page):
    _open(zh_page)
    # 数据迁移 and 演练 are in different entries' words, no entry says 没有 ... 演练 together.
    ids = _ids(_header_search(zh_page, "数据迁移没有演练"))
    assert ids and ids[0] in CHINESE, ids
    assert {"LL-0001"} <= set(ids), ids


def test_a_hyphenated_tag_finds_the_entries_that_say_it_first(page):
    # Typed as the tag is written, "data-migration" ranks as "data migration" does: the English
    # entries about it first, not the Chinese ones whose hidden glossary words hold the two words.
    _open(page)
    ids = _ids(_header_search(page, "data-migration"))
    assert set(ids[:4]) == ENGLISH_MIGRATION, ids
    assert ids[:4] == _ids(_header_search(page, "data migration"))[:4]


def test_an_id_finds_its_entry(page):
    _open(page)
    assert _ids(_header_search(page, "RISK-0007"))[0] == "RISK-0007"


def test_keyboard_moves_through_the_results_and_opens_one(page):
    _open(page)
    results = _header_search(page, "rehearsal")
    box = page.locator(".kb-search__input")
    box.press("ArrowDown")
    box.press("ArrowDown")
    active = page.locator(".kb-result--active")
    assert active.count() == 1
    assert active.get_attribute("id") == box.get_attribute("aria-activedescendant")
    box.press("ArrowUp")
    assert page.locator(".kb-result--active .kb-result__id").inner_text() == results[0]["id"]
    box.press("Escape")
    assert page.locator(".kb-search__panel").is_hidden()
    assert box.input_value() == "rehearsal"  # closed, not cleared
    box.press("ArrowDown")  # opens the panel again, on the first result
    with page.expect_navigation():
        box.press("Enter")
    assert page.url == results[0]["href"]
    assert results[0]["id"] in page.locator(".kb-card").inner_text()


def test_enter_without_a_choice_opens_the_search_page(page):
    _open(page)
    _header_search(page, "vendor")
    with page.expect_navigation():
        page.locator(".kb-search__input").press("Enter")
    assert urlsplit(page.url).path == "/search/"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["vendor"]}
    assert _page_ready(page)
    assert page.locator(".kb-search-page__input").input_value() == "vendor"


def test_the_link_to_all_results_keeps_the_query(page):
    _open(page, "lessons/")
    results = _header_search(page, "cut-over")
    link = page.locator(".kb-search__all")
    assert "cut-over" in link.inner_text()
    link.click()
    page.wait_for_load_state("networkidle")
    found = _page_ready(page)
    assert _ids(found)[: len(results)] == _ids(results)


def test_slash_puts_the_cursor_in_the_box(page):
    _open(page, "registers/")
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.classList.contains('kb-search__input')")


@pytest.mark.parametrize(
    "facet",
    ["type", "project", "project_type", "category", "phase", "status", "tag", "year"],
)
def test_each_facet_filters_without_text(page, facet):
    _open(page, "search/")
    _page_ready(page)
    assert _summary(page) == ""  # nothing asked yet: counts only
    group = page.locator(f'.kb-facet[data-facet="{facet}"]')
    value = group.locator(".kb-facet__value").first
    name = value.locator(".kb-facet__label").inner_text()
    count = int(value.locator(".kb-facet__count").inner_text())
    assert count > 0
    value.locator("input").check()
    results = _page_ready(page)
    assert parse_qs(urlsplit(page.url).query) == {facet: [name]}
    assert _summary(page) == (f"{count} entries" if count != 1 else "1 entry")
    assert len(results) == min(count, 20)
    if facet == "type":
        assert {r["type"] for r in results} == {name}
    if facet == "project":
        assert {r["project"] for r in results} == {name}


def test_filters_combine_with_text_and_the_url_holds_the_state(page):
    _open(page, "search/")
    _page_ready(page)
    box = page.locator(".kb-search-page__input")
    box.fill("migration")
    everything = _page_ready(page)
    page.locator('.kb-facet[data-facet="type"] input[value="Lesson learned"]').check()
    lessons = _page_ready(page)
    assert 0 < len(lessons) < len(everything)
    assert {r["type"] for r in lessons} == {"Lesson learned"}
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["migration"], "type": ["Lesson learned"]}
    _shot(page, "search-page-facets", full_page=True)
    # Reload: the same state from the URL.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert _ids(_page_ready(page)) == _ids(lessons)
    assert box.input_value() == "migration"
    assert page.locator('.kb-facet[data-facet="type"] input[value="Lesson learned"]').is_checked()
    # Back: the search before the filter.
    page.go_back()
    assert _ids(_page_ready(page)) == _ids(everything)
    assert not page.locator('.kb-facet[data-facet="type"] input:checked').count()
    # Two values of one facet: either; then clear.
    page.locator('.kb-facet[data-facet="type"] input[value="SOP"]').check()
    page.locator('.kb-facet[data-facet="type"] input[value="Risk case"]').check()
    both = _page_ready(page)
    assert {r["type"] for r in both} <= {"SOP", "Risk case"} and len(both) > 0
    page.locator(".kb-facets__clear").click()
    assert _ids(_page_ready(page)) == _ids(everything)
    assert "type=" not in page.url


def test_a_facet_keeps_the_keyboard_focus_when_the_counts_are_redrawn(page):
    _open(page, "search/?q=data")
    _page_ready(page)
    box = '.kb-facet[data-facet="type"] input[value="Lesson learned"]'
    page.focus(box)
    for checked in (True, False):
        page.keyboard.press("Space")
        page.wait_for_function(
            "c => new URL(location.href).searchParams.has('type') === c", arg=checked
        )
        _page_ready(page)
        assert page.locator(box).is_checked() == checked
        assert page.evaluate("s => document.activeElement.matches(s)", box)
    # The next Tab goes on from there, to the next filter value, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.kb-facet') !== null")


def test_back_goes_to_the_search_before_the_words_typed(page):
    _open(page, "search/?q=data")
    first = _ids(_page_ready(page))
    box = page.locator(".kb-search-page__input")
    box.fill("")
    box.type("rehearsal", delay=20)
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'rehearsal'")
    assert _ids(_page_ready(page)) != first
    # One history entry for the words typed, not one per letter: back is the search for "data".
    page.go_back()
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'data'")
    assert _ids(_page_ready(page)) == first
    assert box.input_value() == "data"


def test_spaces_alone_are_no_query_in_the_url(page):
    _open(page, "search/?q=data")
    _page_ready(page)
    page.locator(".kb-search-page__input").fill("   ")
    page.wait_for_function("() => !new URL(location.href).searchParams.has('q')")
    assert _page_ready(page) == [] and _summary(page) == ""


def test_clear_filters_from_the_keyboard_keeps_the_focus_in_the_filters(page):
    _open(page, "search/?q=data&type=SOP")
    _page_ready(page)
    page.focus(".kb-facets__clear")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !new URL(location.href).searchParams.has('type')")
    _page_ready(page)
    assert page.locator(".kb-facets__clear").is_hidden()
    assert page.evaluate("document.activeElement.matches('.kb-facets__head')")
    # Tab goes on to the filter values from there.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.kb-facet') !== null")


def test_a_shared_url_opens_the_same_search(page):
    _open(page, "search/?tag=data-migration&year=2025")
    results = _page_ready(page)
    assert results and {"LL-0001"} <= set(_ids(results))
    assert page.locator('.kb-facet[data-facet="tag"] input[value="data-migration"]').is_checked()
    assert page.locator('.kb-facet[data-facet="year"] input[value="2025"]').is_checked()


def test_a_chinese_site_searches_in_chinese(zh_page):
    _open(zh_page)
    box = zh_page.locator(".kb-search__input")
    assert box.get_attribute("placeholder") == "搜索知识库"
    results = _header_search(zh_page, "数据迁移")
    ids = _ids(results)
    assert ids[0] in CHINESE and {"LL-0001", "SOP-0002"} <= set(ids)
    assert re.fullmatch(r"\d+ 个条目", zh_page.locator(".kb-search__status").inner_text())
    assert "全部结果" in zh_page.locator(".kb-search__all").inner_text()
    # English words still find English entries, stemmed, in a Chinese site.
    assert "LL-0001" in _ids(_header_search(zh_page, "rehearsals"))
    _shot(zh_page, "search-header-zh")
    _open(zh_page, "search/?type=" + "经验教训")
    results = _page_ready(zh_page)
    assert {r["type"] for r in results} == {"经验教训"}
    legends = zh_page.locator(".kb-facet__name").all_inner_texts()
    assert legends[:3] == ["类型", "项目", "项目类型"]
    assert zh_page.locator(".kb-facets__title").inner_text() == "筛选"
    _shot(zh_page, "search-page-zh", full_page=True)


def test_search_from_a_chinese_entry_page_finds_english_too(page):
    _open(page)
    chinese = _header_search(page, "库位主数据清洗")[0]
    assert chinese["id"] == "LL-0008"
    page.goto(chinese["href"])
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh"
    ids = _ids(_header_search(page, "数据迁移"))
    assert ids[0] in CHINESE and "LL-0001" in ids
    assert "LL-0001" in _ids(_header_search(page, "migrations"))


def test_filters_alone_list_every_language_newest_first(page):
    _open(page, "search/?type=Lesson+learned")
    results = _page_ready(page)
    dates = [r["date"] for r in results]
    assert all(dates) and dates == sorted(dates, reverse=True), dates
    assert {"LL-0008", "LL-0009", "LL-0001"} <= set(_ids(results))  # Chinese and English
    assert _summary(page) == f"{len(results)} entries"


def test_filters_alone_show_the_start_of_each_entry_not_its_hidden_words(page):
    _open(page, "search/?type=Lesson+learned")
    results = {r["id"]: r for r in _page_ready(page)}
    assert EVERY_ENTRY not in " ".join(r["excerpt"] for r in results.values())
    assert "<mark>" not in " ".join(r["excerpt"] for r in results.values())
    # The entry's own text after its heading, not the project and tags the page hides.
    lesson = results["LL-0001"]
    assert lesson["excerpt"].startswith("Driving event. The ERP roll-out"), lesson["excerpt"]
    assert "ERP roll-out · data-migration" not in lesson["excerpt"]


def test_an_excerpt_never_shows_the_word_every_entry_holds(page):
    # The English data-migration entries are found by their hidden glossary words here, which
    # stand next to the word that lists the entries of a filter.
    _open(page)
    for query in ("数据迁移", "sap"):
        results = _header_search(page, query)
        assert results
        for result in results:
            assert EVERY_ENTRY not in result["excerpt"].lower(), (query, result)


def test_hostile_front_matter_is_text_in_the_results(browser, hostile_url):
    for pg in _page(browser, hostile_url):
        _open(pg)
        results = _header_search(pg, "alert")
        hostile = next(r for r in results if r["title"] == HOSTILE)
        assert "<script" not in hostile["excerpt"] and "<img" not in hostile["excerpt"]
        _open(pg, "search/?q=alert")
        assert HOSTILE in [r["title"] for r in _page_ready(pg)]


def test_a_site_without_entries_says_it_has_nothing_to_search(browser, tmp_path):
    root = tmp_path / "ws"
    build_tree(root, {"mkdocs.yml": search_yml("Empty KB", "en"), "docs/index.md": "# Empty\n"})
    for url in _serve(root):
        for pg in _page(browser, url):
            _open(pg)
            box = pg.locator(".kb-search__input")
            box.fill("anything")
            status = pg.locator(".kb-search__status")
            status.filter(has_text="no entries").wait_for()
            # It was built with kb build: the message does not tell the reader to build it.
            assert status.inner_text() == text("search_ui.no_entries", "en")
            assert "kb build" not in status.inner_text()
            pg.goto(url + "search/?q=anything")
            summary = pg.locator(".kb-search-page__summary")
            summary.filter(has_text="no entries").wait_for()
            assert summary.inner_text() == text("search_ui.no_entries", "en")
            # Scripts waiting on the page see an empty site, not a broken search.
            assert pg.locator("#kb-search-page").get_attribute("data-state") == "empty"


def test_on_a_phone_a_button_opens_the_search_page(page):
    page.set_viewport_size({"width": 400, "height": 800})
    _open(page)
    assert page.locator(".kb-search__input").is_hidden()
    button = page.locator(".kb-search__button")
    assert button.is_visible()
    button.click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/search/"
    page.locator(".kb-search-page__input").fill("rehearsal")
    assert "LL-0001" in _ids(_page_ready(page))
    _shot(page, "search-page-phone", full_page=True)
