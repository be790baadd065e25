/* retro-kb: the site's search, with Pagefind's JavaScript API (the bundles kb build writes in
 * pagefind/<lang>/, served by the site itself: no outside request).
 *
 * This script has the engine (the language bundles merged into one search, what a query means
 * coming from search-query.js) and the results as HTML; the box in the header is search-box.js,
 * the search page search-page.js.
 *
 * Everything it shows comes from window.kbSearchConfig (search-config.js, written by the kb
 * plugin from the catalogs). Scripts can drive it: window.kbSearch.search(query, filters) gives
 * {total, filters: counts by facet and value, counted: whether those counts cover every facet,
 * take(n): the data of the next n results}; kbSearch.open() loads the index.
 *
 * Speed: the index's entry script and each language's metadata load when the page is idle after
 * it has loaded, before anyone types; a keystroke is searched once the box has been quiet for
 * 30 ms (a burst of keys is one search), and while a search runs, the newest text waits for it
 * and goes next (the ones in between are skipped), its part of the index loading meanwhile. A
 * search never waits for the facets' counts: they come with it only once kbSearch.loadFacets()
 * has loaded them (the search page does, after its first results).
 *
 * A result shows an excerpt of the entry's own text: the start of it for a result that no text
 * matched (filters alone) or whose words are only in hidden text (its id, project, tags or the
 * glossary's equivalents). A hyphen between letters in a query is searched as two words, as
 * the entries' text has them. */
(function () {
  "use strict";

  var config = window.kbSearchConfig;
  var script = document.currentScript;
  if (!config || !script) return;
  // This script is assets/kb/search.js: the site's root is two folders up.
  var root = new URL("../../", script.src);
  var words = config.text;
  var engine = null;
  var facetsLoaded = null;
  var facetsDone = false;
  // Each bundle's entries carry this filter with the bundle's language (Pagefind's mergeFilter):
  // filters alone are searched one language at a time, so each list comes newest first.
  var LANGUAGE = "kb_language";
  // Pagefind adds a score for a query word found in a meta field: only the title and the id
  // count (the title as Pagefind weighs it by default; the id far more, so that a search for
  // an id finds that entry before those that mention it), not the project, type or date, which
  // would put every entry of a project called "Vendor hardware" above those that say "vendor".
  var RANKING = { metaWeights: { title: 5, id: 10, project: 0, type: 0, date: 0 } };
  // The hidden text of an entry page (search_markup.py) is indexed below full weight: its id
  // just below, its project, tags and glossary equivalents far below. The entry's own text
  // weighs 1 or more (its headings more).
  var OWN_TEXT_WEIGHT = 1;
  var LEAD_LENGTH = 120; // characters of an entry's text shown for filters alone

  function say(key, values) {
    var message = words[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      message = message.split("{" + name + "}").join(values[name]);
    });
    return message;
  }

  function counted(count) {
    var forms = config.results;
    var form = config.pluralOne.indexOf(count) !== -1 && forms.one ? forms.one : forms.other;
    return form.split("{count}").join(String(count));
  }

  function failure(error) {
    return error.alone ? error.message : say("failed", { reason: error.message });
  }

  /* --- the engine: the first bundle, the others merged into it --- */

  function open() {
    if (!engine) engine = load();
    return engine;
  }

  async function load() {
    var bundles = config.bundles;
    if (!bundles.length) {
      var none = new Error(say("no_entries"));
      none.alone = true; // shown as it is, not as the reason of "not available"
      none.noEntries = true;
      throw none;
    }
    var base = root.pathname;
    var pagefind = await import(new URL(bundles[0].path + "pagefind.js", root).href);
    var first = {};
    first[LANGUAGE] = bundles[0].lang;
    await pagefind.options({
      baseUrl: base,
      excerptLength: 24,
      mergeFilter: first,
      ranking: RANKING,
    });
    for (var i = 1; i < bundles.length; i++) {
      var path = new URL(bundles[i].path, root).href;
      var language = {};
      language[LANGUAGE] = bundles[i].lang;
      await pagefind.mergeIndex(path, {
        language: bundles[i].lang,
        baseUrl: base,
        mergeFilter: language,
        ranking: RANKING,
      });
    }
    await pagefind.init();
    // init() starts Pagefind's worker; preloading no word waits until it has read every
    // bundle's metadata, so the first search has only its words' part of the index to load.
    await pagefind.preload("");
    return pagefind;
  }

  /* Load the part of the index that a text needs, while another search runs. */
  function preloadText(text) {
    if (engine && text.trim()) {
      engine
        .then(function (pagefind) {
          return pagefind.preload(text.trim());
        })
        .catch(function () {});
    }
  }

  /* One search at a time, for the newest input. A change is searched once the box has been
   * quiet for QUIET_MS: keys typed by hand come further apart than that, so each is searched at
   * once, while a burst (keys sent by a program, an autofill, a barcode reader) is one search,
   * not one for its first letter that the rest would wait for (a one-letter word matches the
   * start of most words: at 5,000 entries it costs more than the whole word). A change during
   * a search is searched as soon as it ends, its part of the index loading meanwhile (pending()
   * is the text to load for). draw() may ask stale() whether a newer change waits, and busy()
   * whether a search runs. */
  var QUIET_MS = 30;

  function scheduler(draw, pending) {
    var searching = false;
    var again = false;
    var waiting = false;
    var changed = 0;
    /* Resolves once nothing has changed for QUIET_MS. */
    function quiet() {
      var wait = changed + QUIET_MS - performance.now();
      return wait > 0
        ? new Promise(function (resolve) {
            setTimeout(resolve, wait);
          }).then(quiet)
        : Promise.resolve();
    }
    async function run() {
      searching = true;
      try {
        do {
          again = false;
          await draw();
          // What changed meanwhile is searched once the typing it is part of has stopped.
          if (again) await quiet();
        } while (again);
      } finally {
        searching = false;
      }
    }
    return {
      update: function () {
        changed = performance.now();
        if (searching) {
          again = true;
          preloadText(pending());
          return;
        }
        if (waiting) return;
        waiting = true;
        quiet().then(function () {
          waiting = false;
          run();
        });
      },
      stale: function () {
        return again;
      },
      busy: function () {
        return searching;
      },
    };
  }

  /* filters as the URL and the page hold them ({facet: [values]}) -> Pagefind's form */
  function pagefindFilters(filters) {
    var out = {};
    Object.keys(filters).forEach(function (facet) {
      if (filters[facet].length) out[facet] = { any: filters[facet].slice() };
    });
    return out;
  }

  function hasFilters(filters) {
    return Object.keys(filters).some(function (facet) {
      return filters[facet].length > 0;
    });
  }

  /* take(n): the data of the next n results of a text search, in the order given (`exact`:
   * of Pagefind's exact search, whose matches all weigh little). */
  function inOrder(results, exact) {
    var at = 0;
    return function take(n) {
      var next = results.slice(at, at + n);
      at += next.length;
      return Promise.all(
        next.map(function (r) {
          return r.data().then(function (data) {
            return ownExcerpt(data, exact);
          });
        })
      );
    };
  }

  /* A result's excerpt from the entry's own text: the start of its text when the words matched
   * only hidden text (its id, project, tags or a glossary equivalent), else Pagefind's excerpt
   * cut where the hidden text begins (an excerpt of the text's last words runs on into it). */
  function ownExcerpt(data, exact) {
    var own =
      exact ||
      (data.weighted_locations || []).some(function (location) {
        return location.weight >= OWN_TEXT_WEIGHT;
      });
    if (!own) return withLead(data);
    var id = data.meta && data.meta.id;
    var excerpt = data.excerpt || "";
    var end = id ? excerpt.lastIndexOf(id) : -1;
    if (end < 0) return data;
    var cut = excerpt.slice(0, end).replace(/<mark>$/, "").trimEnd();
    return Object.assign({}, data, { excerpt: cut });
  }

  /* An entry's own text from its start, for a result that no text matched: its content after
   * its heading, up to the hidden id that the page holds after the entry's text
   * (search_markup.py). */
  function withLead(data) {
    var content = data.content || "";
    var end = data.meta && data.meta.id ? content.lastIndexOf(data.meta.id) : -1;
    var text = (end > 0 ? content.slice(0, end) : content).trim();
    var title = (data.meta && data.meta.title) || "";
    // The page's heading is the title the result already shows.
    if (title && text.indexOf(title) === 0) text = text.slice(title.length).replace(/^[.\s]+/, "");
    if (text.length > LEAD_LENGTH) text = text.slice(0, LEAD_LENGTH).trimEnd() + "…";
    return Object.assign({}, data, { lead: text });
  }

  /* take(n) over lists that each come newest first: the next n of them all, newest first. */
  function newestFirst(lists) {
    var heads = lists.map(function (list) {
      return { list: list, at: 0 };
    });
    function date(head) {
      return head.at < head.list.length ? head.list[head.at].data() : Promise.resolve(null);
    }
    return async function take(n) {
      // Ask for the next n of every list at once; Pagefind keeps what it has loaded.
      heads.forEach(function (head) {
        head.list.slice(head.at, head.at + n).forEach(function (r) {
          r.data();
        });
      });
      var out = [];
      while (out.length < n) {
        var data = await Promise.all(heads.map(date));
        var best = -1;
        data.forEach(function (d, i) {
          if (d && (best < 0 || (d.meta.date || "") > (data[best].meta.date || ""))) best = i;
        });
        if (best < 0) break;
        out.push(withLead(data[best]));
        heads[best].at++;
      }
      return out;
    };
  }

  function addCounts(all) {
    var out = {};
    all.forEach(function (counts) {
      Object.keys(counts).forEach(function (facet) {
        if (facet === LANGUAGE) return;
        out[facet] = out[facet] || {};
        Object.keys(counts[facet]).forEach(function (value) {
          out[facet][value] = (out[facet][value] || 0) + counts[facet][value];
        });
      });
    });
    return out;
  }

  /* The results of a query (text, filters, or both): {total, filters (the counts), counted,
   * partial, take(n)}. A text's results are the entries Pagefind finds with all its words, then
   * those that hold some of them (search-query.js); the counts are those of the first, and
   * `partial` says that they count fewer entries than are listed. Pagefind counts only the
   * facets whose filter indexes it has loaded (a filter in use loads its own): `counted` says
   * whether that was all of them (after loadFacets()). */
  async function search(query, filters) {
    var pagefind = await open();
    filters = filters || {};
    var text = (query || "").trim();
    if (!text && !hasFilters(filters)) {
      // Nothing asked: the counts of every facet, which is all the page shows.
      var all = addCounts([await loadFacets()]);
      return { total: 0, filters: all, counted: true, take: inOrder([]), empty: true };
    }
    var counted = facetsDone;
    var found = text
      ? await textSearch(pagefind, text, filters)
      : await filtersAlone(pagefind, filters);
    found.counted = counted;
    return found;
  }

  // A hyphen between letters ("data-migration", as tags are written): the words on each side.
  // Pagefind matches a hyphenated word in full only where the text has it so (the hidden tags,
  // at a low weight), which would rank every entry below those that hold both words anywhere.
  var HYPHENATED = /(\p{L})-(?=\p{L})/gu;

  async function textSearch(pagefind, text, filters) {
    var typed = text.replace(HYPHENATED, "$1 ");
    var query = window.kbSearchQuery;
    var options = { filters: pagefindFilters(filters) };
    var exact = query.exact(typed);
    var words = exact ? [] : query.words(typed);
    var all = pagefind.search(exact ? typed : query.meaningful(typed), options);
    var each = null;
    if (words.length > 1) {
      var others = window.kbSearchGlossary
        ? await window.kbSearchGlossary.otherTerms(typed, words)
        : [];
      each = query.byWord(pagefind, words, options, config.entries, others);
    }
    var found = await all;
    var results = each ? query.merged(found.results, await each, words) : found.results;
    return {
      total: results.length,
      filters: addCounts([found.filters]),
      // The counts are of Pagefind's search of all the words: of fewer entries than those
      // listed when some hold only some of the words.
      partial: results.length > found.results.length,
      take: inOrder(results, exact),
    };
  }

  /* Filters with no text: the word every entry holds (Pagefind's search without a word would
   * read all of the index), one language at a time sorted by date, merged newest first. */
  async function filtersAlone(pagefind, filters) {
    var found = await Promise.all(
      config.bundles.map(function (bundle) {
        var only = pagefindFilters(filters);
        only[LANGUAGE] = bundle.lang;
        return pagefind.search(config.everyEntry, { filters: only, sort: { date: "desc" } });
      })
    );
    var lists = found.map(function (f) {
      return f.results;
    });
    return {
      total: lists.reduce(function (sum, list) {
        return sum + list.length;
      }, 0),
      filters: addCounts(
        found.map(function (f) {
          return f.filters;
        })
      ),
      take: newestFirst(lists),
    };
  }

  /* --- results as HTML, shared by the header and the page --- */

  function element(tag, className, textContent) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (textContent) node.textContent = textContent;
    return node;
  }

  function resultItem(data, id) {
    var meta = data.meta || {};
    var item = element("li", "kb-result");
    item.setAttribute("role", "option");
    item.id = id;
    var link = element("a", "kb-result__link");
    link.href = data.url;
    link.tabIndex = -1;
    var head = element("span", "kb-result__meta");
    if (meta.type) head.appendChild(element("span", "kb-result__type", meta.type));
    if (meta.id) head.appendChild(element("span", "kb-result__id", meta.id));
    if (meta.project) head.appendChild(element("span", "kb-result__project", meta.project));
    if (meta.date) head.appendChild(element("span", "kb-result__date", meta.date));
    link.appendChild(head);
    link.appendChild(element("span", "kb-result__title", meta.title || data.url));
    var excerpt = element("span", "kb-result__excerpt");
    if (data.lead !== undefined) {
      excerpt.textContent = data.lead;
    } else {
      // Pagefind's excerpt is the page's text with < and > escaped, and <mark> around the
      // matches.
      excerpt.innerHTML = data.excerpt || "";
    }
    link.appendChild(excerpt);
    item.appendChild(link);
    return item;
  }

  function searchPageUrl(query, filters) {
    var url = new URL(config.searchPage, root);
    if (query && query.trim()) url.searchParams.set("q", query);
    Object.keys(filters || {}).forEach(function (facet) {
      filters[facet].forEach(function (value) {
        url.searchParams.append(facet, value);
      });
    });
    return url.href;
  }

  /* All of the filter indexes, loaded once: every facet's counts, which the search page shows
   * (the total counts, as Pagefind's filters() gives them). */
  function loadFacets() {
    if (!facetsLoaded) {
      facetsLoaded = open().then(async function (pagefind) {
        var counts = await pagefind.filters();
        facetsDone = true;
        return counts;
      });
      facetsLoaded.catch(function () {}); // a failure shows where a search awaits it
    }
    return facetsLoaded;
  }

  /* Load the index once the page has loaded and the browser is idle: the first search then
   * needs only the words' own part of the index. */
  function preload() {
    var idle =
      window.requestIdleCallback ||
      function (callback) {
        return setTimeout(callback, 1);
      };
    var start = function () {
      idle(
        function () {
          open().catch(function () {}); // a failure shows when someone searches
        },
        { timeout: 2000 }
      );
    };
    if (document.readyState === "complete") start();
    else window.addEventListener("load", start, { once: true });
  }

  window.kbSearch = {
    config: config,
    root: root,
    open: open,
    search: search,
    preloadText: preloadText,
    scheduler: scheduler,
    loadFacets: loadFacets,
    say: say,
    counted: counted,
    failure: failure,
    element: element,
    hasFilters: hasFilters,
    resultItem: resultItem,
    searchPageUrl: searchPageUrl,
  };
  preload();
})();
