/* retro-kb: the glossary's other terms for the words of a query, as `kb search` expands a query
 * (kb/search/glossary.py), for the site's search (search-query.js searches them too).
 *
 * The glossary is the one `kb search` uses, the workspace's own concepts included, written by the
 * kb plugin to search-glossary.json: a list of concepts, each its English and Chinese terms. A
 * query holds a concept's term when a Chinese term is in it (as kb search matches one: inside a
 * longer word too), or when an English term's words are among its words, in order, each in the
 * same form or differing by a plural ending. Each other term of such a concept is searched as
 * well, counted for the words of the query that the term typed covers, below the words as typed
 * (as kb search weighs them: a synonym at 0.6 of a word typed, the other language at 0.5):
 * 数据迁移 also finds the entries that say "data migration", and "scope creep" those that say
 * 范围蔓延. */
(function () {
  "use strict";

  var config = window.kbSearchConfig;
  var script = document.currentScript;
  if (!config || !script) return;
  var url = new URL("search-glossary.json", script.src);
  var loaded = null;
  // At most this many other terms are searched for one query (each is one more search).
  var MAX_TERMS = 8;
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  // How much a glossary term counts against a word as typed: kb search's weights (settings).
  var weights = config.glossaryWeights || { synonym: 0.6, cross: 0.5 };

  /* The concepts, fetched once; none when the file is missing or unreadable. */
  function load() {
    if (!loaded) {
      loaded = fetch(url)
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .catch(function () {
          return [];
        });
    }
    return loaded;
  }

  function singular(word) {
    return word.length > 3 && /s$/.test(word) && !/ss$/.test(word) ? word.slice(0, -1) : word;
  }

  /* Where an English term's words stand among the query's words: their indexes, or null. */
  function at(termWords, queryWords) {
    for (var start = 0; start + termWords.length <= queryWords.length; start++) {
      var all = termWords.every(function (w, i) {
        return queryWords[start + i] === w;
      });
      if (all) {
        return termWords.map(function (_, i) {
          return start + i;
        });
      }
    }
    return null;
  }

  /* The other terms to search for `query`, whose searched words are `words` (search-query.js):
   * [{text, covers: indexes into words, weight}], the terms of each concept the query holds,
   * except the ones it holds. */
  async function otherTerms(query, words) {
    var concepts = await load();
    var low = query.toLowerCase();
    var latin = (low.match(/[a-z0-9]+/g) || []).map(singular);
    var out = [];
    var seen = new Set();
    concepts.forEach(function (concept) {
      var covers = new Set();
      var typed = new Set();
      (concept.zh || []).forEach(function (term) {
        if (low.indexOf(term) === -1) return;
        typed.add(term);
        words.forEach(function (word, i) {
          if (CJK.test(word) && (term.indexOf(word) !== -1 || word.indexOf(term) !== -1)) {
            covers.add(i);
          }
        });
      });
      (concept.en || []).forEach(function (term) {
        var termWords = (term.toLowerCase().match(/[a-z0-9]+/g) || []).map(singular);
        var found = termWords.length ? at(termWords, latin) : null;
        if (!found) return;
        typed.add(term);
        var said = found.map(function (i) {
          return latin[i];
        });
        words.forEach(function (word, i) {
          if (said.indexOf(singular(word)) !== -1) covers.add(i);
        });
      });
      if (!covers.size) return;
      var typedIn = new Set();
      typed.forEach(function (term) {
        typedIn.add(CJK.test(term) ? "zh" : "en");
      });
      ["en", "zh"].forEach(function (lang) {
        (concept[lang] || []).forEach(function (term) {
          if (typed.has(term) || seen.has(term)) return;
          seen.add(term);
          // As kb search weighs them: a synonym, or an equivalent in the other language.
          var weight = typedIn.has(lang) ? weights.synonym : weights.cross;
          out.push({ text: term, covers: Array.from(covers), weight: weight });
        });
      });
    });
    return out.slice(0, MAX_TERMS);
  }

  window.kbSearchGlossary = { load: load, otherTerms: otherTerms };
})();
