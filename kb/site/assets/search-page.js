/* retro-kb: the site's search page (search/), on the functions of search.js (window.kbSearch).
 *
 * The text and facet filters with their counts, alone or combined (filters alone list the
 * entries newest first). The state lives in the URL (?q=...&type=...&tag=...), so a search can
 * be shared, reloaded and walked back with the browser's back button.
 *
 * The results come first, searched once nothing has changed for a moment; the counts of every
 * facet (all of the filter indexes) load only once the results of the first search are shown and
 * nothing has changed for a moment, then the counts are redrawn. Until then a facet shows the
 * counts Pagefind has (the facets of the filters in use). The page element (#kb-search-page)
 * has data-state="busy" while it searches, "shown" when the results are shown, "ready" when the
 * counts of every facet are too, "empty" on a site with no entries yet, "failed" when the search
 * is not available; data-query holds the query of the results shown. */
(function () {
  "use strict";

  var kb = window.kbSearch;
  if (!kb) return;
  var config = kb.config;
  var say = kb.say;
  var element = kb.element;
  var search = kb.search;
  var PAGE_RESULTS = 20;
  // How long nothing must change before the counts of every facet are loaded.
  var COUNTS_AFTER_MS = 300;

  function readUrl() {
    var params = new URL(window.location.href).searchParams;
    var filters = {};
    config.facets.forEach(function (facet) {
      var values = params.getAll(facet[0]);
      if (values.length) filters[facet[0]] = values;
    });
    return { query: params.get("q") || "", filters: filters };
  }

  function searchPage() {
    var host = document.getElementById("kb-search-page");
    if (!host) return;
    host.replaceChildren();
    var form = element("form", "kb-search-page__form");
    form.setAttribute("role", "search");
    var input = element("input", "kb-search-page__input");
    input.type = "search";
    input.name = "q";
    input.placeholder = say("placeholder");
    input.setAttribute("aria-label", say("label"));
    input.setAttribute("autocomplete", "off");
    form.appendChild(input);
    var layout = element("div", "kb-search-page__layout");
    var facets = element("aside", "kb-facets");
    facets.setAttribute("aria-label", say("filters"));
    // Folded on a narrow screen, where the filters would stand above the results.
    var fold = element("details", "kb-facets__fold");
    fold.open = !window.matchMedia("(max-width: 59.9375em)").matches;
    var heading = element("summary", "kb-facets__head");
    heading.appendChild(element("h2", "kb-facets__title", say("filters")));
    fold.appendChild(heading);
    var clear = element("button", "kb-facets__clear md-button", say("clear"));
    clear.type = "button";
    fold.appendChild(clear);
    var groups = element("div", "kb-facets__groups");
    fold.appendChild(groups);
    facets.appendChild(fold);
    var section = element("section", "kb-search-page__results");
    var summary = element("p", "kb-search-page__summary");
    summary.setAttribute("aria-live", "polite");
    var list = element("ol", "kb-results");
    var more = element("button", "kb-search-page__more md-button", say("more"));
    more.type = "button";
    more.hidden = true;
    section.appendChild(summary);
    section.appendChild(list);
    section.appendChild(more);
    layout.appendChild(facets);
    layout.appendChild(section);
    host.appendChild(form);
    host.appendChild(layout);

    var state = readUrl();
    var current = null; // the last results, for "show more"
    var run = 0;
    var counting = null;
    var searches = kb.scheduler(draw, function () {
      return state.query;
    });

    // Whether the history entry shown is the one typing made: the first key after a search
    // (or after the page opened) starts a new entry, the next keys change it, so the back
    // button goes to the search before this one, not to each letter typed.
    var typing = false;

    function writeUrl(push) {
      if (push) typing = false; // a new entry: what is typed next makes one of its own
      var url = kb.searchPageUrl(state.query, state.filters);
      if (url === window.location.href) return;
      if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    }

    function typed() {
      state.query = input.value;
      writeUrl(!typing);
      typing = true;
    }

    /* The facets with their values; `partial` (search.js): the counts would count fewer
     * entries than are listed, so each value is shown without one. */
    function drawFacets(counts, partial) {
      // The value that has the keyboard focus keeps it in the redrawn filters.
      var focused = groups.contains(document.activeElement) ? document.activeElement : null;
      var focusAt = focused && [focused.closest(".kb-facet").dataset.facet, focused.value];
      groups.replaceChildren();
      config.facets.forEach(function (facet) {
        var name = facet[0];
        var values = Object.assign({}, counts[name] || {});
        (state.filters[name] || []).forEach(function (v) {
          if (!(v in values)) values[v] = 0;
        });
        var keys = Object.keys(values);
        if (!keys.length) return;
        keys.sort(function (a, b) {
          if (name === "year") return b.localeCompare(a);
          return values[b] - values[a] || a.localeCompare(b);
        });
        var group = element("fieldset", "kb-facet");
        group.dataset.facet = name;
        group.appendChild(element("legend", "kb-facet__name", facet[1]));
        keys.forEach(function (value) {
          var label = element("label", "kb-facet__value");
          var box = element("input");
          box.type = "checkbox";
          box.value = value;
          box.checked = (state.filters[name] || []).indexOf(value) !== -1;
          label.appendChild(box);
          if (focusAt && focusAt[0] === name && focusAt[1] === value) focused = box;
          label.appendChild(element("span", "kb-facet__label", value));
          if (!partial) {
            label.appendChild(element("span", "kb-facet__count", String(values[value])));
            if (!values[value] && !box.checked) label.classList.add("kb-facet__value--none");
          }
          group.appendChild(label);
        });
        groups.appendChild(group);
      });
      if (focusAt && focused && groups.contains(focused)) focused.focus();
      clear.hidden = !kb.hasFilters(state.filters);
    }

    async function showMore() {
      if (!current) return;
      var mine = run;
      var start = list.children.length;
      var shown = await current.take(PAGE_RESULTS);
      if (mine !== run) return;
      shown.forEach(function (data, i) {
        list.appendChild(kb.resultItem(data, "kb-search-result-" + (start + i)));
      });
      more.hidden = list.children.length >= current.total;
    }

    /* Search the state once it has been quiet for a moment; a change while a search runs is
     * searched as soon as it ends (kb.scheduler, as in the header's box). */
    function refresh() {
      host.dataset.state = "busy"; // for scripts (and tests) that wait on the page
      clearTimeout(counting);
      searches.update();
    }

    async function draw() {
      var mine = ++run;
      if (!current) summary.textContent = say("loading");
      var found;
      try {
        // The index may still be loading (a page opened from a link): what was typed meanwhile
        // is searched once it has loaded, not the state the page opened with first.
        await kb.open();
        if (searches.stale()) return;
        found = await search(state.query, state.filters);
      } catch (error) {
        summary.textContent = kb.failure(error);
        host.dataset.state = error.noEntries ? "empty" : "failed";
        return;
      }
      if (searches.stale()) return; // the state has changed: the newest goes next
      current = found;
      drawFacets(found.filters, found.partial);
      list.replaceChildren();
      more.hidden = true;
      var count = found.total ? kb.counted(found.total) : say("no_results");
      summary.textContent = found.empty ? "" : count;
      await showMore();
      if (searches.stale() || mine !== run) return;
      host.dataset.query = state.query.trim();
      if (found.counted) {
        host.dataset.state = "ready";
        return;
      }
      host.dataset.state = "shown";
      counting = setTimeout(recount, COUNTS_AFTER_MS);
    }

    /* Every facet's counts for the results shown (their filter indexes loaded once). */
    async function recount() {
      var mine = run;
      var found;
      try {
        await kb.loadFacets();
        found = await search(state.query, state.filters);
      } catch (error) {
        return; // the results stay; the counts are those the search had
      }
      if (mine !== run || searches.busy()) return;
      drawFacets(found.filters, found.partial);
      host.dataset.state = "ready";
    }

    input.addEventListener("input", function () {
      typed();
      refresh();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      typed();
      typing = false; // Enter ends the search: the next key starts another history entry
      refresh();
    });
    groups.addEventListener("change", function (event) {
      var box = event.target;
      var name = box.closest(".kb-facet").dataset.facet;
      var values = (state.filters[name] || []).filter(function (v) {
        return v !== box.value;
      });
      if (box.checked) values.push(box.value);
      if (values.length) state.filters[name] = values;
      else delete state.filters[name];
      writeUrl(true);
      refresh();
    });
    clear.addEventListener("click", function () {
      // The button goes once nothing is ticked: the keyboard's focus goes to the filters'
      // heading beside it, not back to the top of the page.
      if (document.activeElement === clear) heading.focus();
      state.filters = {};
      writeUrl(true);
      refresh();
    });
    more.addEventListener("click", showMore);
    window.addEventListener("popstate", function () {
      typing = false;
      state = readUrl();
      input.value = state.query;
      refresh();
    });
    input.value = state.query;
    refresh();
    if (!state.query) input.focus();
  }

  searchPage();
})();
