/* retro-kb: what the site's search makes of the words typed (search.js runs it on Pagefind).
 *
 * Pagefind lists the entries that hold every word of a query. A PM types a sentence ("estimates
 * were far too optimistic", "员工抵触新系统"), which few entries hold word for word, so, as
 * `kb search` does (kb/search/ranking.py), the site's search:
 *
 * - leaves out English stop words (kb.search's list, from the settings): they say nothing about
 *   what an entry is about, and an entry that lacks "were" is no worse an answer;
 * - after the entries Pagefind finds with all the other words (see merged()), lists those that
 *   hold some of them: each word (Chinese segmented into words, as Pagefind segments it) and
 *   each glossary term for it (search-glossary.js) is searched alone, and an entry's rank is the
 *   sum of their scores (Pagefind's BM25, which adds up over words) times the square of the
 *   share of the query it holds, each word weighed by its rarity (IDF), so an entry with the
 *   rare words of a query comes before one with only its common ones.
 *
 * A query with a double quote is Pagefind's exact search, taken as typed. */
(function () {
  "use strict";

  var config = window.kbSearchConfig;
  if (!config) return;
  var STOP = new Set(config.stopWords || []);
  // Words searched alone, in the order typed: each is one more search of the index.
  var MAX_WORDS = 6;
  var segmenter =
    typeof Intl !== "undefined" && Intl.Segmenter
      ? new Intl.Segmenter("zh", { granularity: "word" })
      : null;

  function bare(token) {
    return token.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }

  function exact(query) {
    return query.indexOf('"') !== -1;
  }

  /* The query without its stop words (as typed when it holds nothing else). */
  function meaningful(query) {
    var tokens = query.split(/\s+/).filter(Boolean);
    var kept = tokens.filter(function (token) {
      return !STOP.has(bare(token));
    });
    return (kept.length ? kept : tokens).join(" ");
  }

  /* The words of a query that are searched alone: no stop word, none twice, no number and no
   * single Latin letter (the pieces of "e-bike", "S/4HANA", "47 days"): alone, one would match
   * the start of most words, and an index that lacks a number matches its first digit. */
  function words(query) {
    var out = [];
    function add(word) {
      var low = word.toLowerCase();
      var plain = bare(low);
      if (!plain || STOP.has(plain) || /^(?:\d+|[a-z])$/.test(plain)) return;
      if (out.indexOf(low) === -1) out.push(low);
    }
    if (segmenter) {
      for (var part of segmenter.segment(query)) if (part.isWordLike) add(part.segment);
    } else {
      query.split(/\s+/).forEach(add);
    }
    return out.slice(0, MAX_WORDS);
  }

  /* The results of each word of `list` searched alone, merged, best first: [{result, held,
   * full, rank}], held[i] true for an entry that holds list[i] (or a glossary term covering
   * it), full when it holds them all. `others` are glossary terms to search as well
   * ([{text, covers, weight}], search-glossary.js), each score counted at its weight.
   * `options` are the search's (its filters); `entries` is how many entries the site has, for
   * the words' rarity. */
  async function byWord(pagefind, list, options, entries, others) {
    others = others || [];
    var searched = list.concat(
      others.map(function (other) {
        return other.text;
      })
    );
    var found = await Promise.all(
      searched.map(function (text) {
        return pagefind.search(text, options);
      })
    );
    var total = Math.max(
      entries || 0,
      ...found.map(function (f) {
        return f.results.length;
      })
    );
    var rarity = found.slice(0, list.length).map(function (f) {
      return Math.log(1 + total / Math.max(1, f.results.length));
    });
    var whole = rarity.reduce(function (a, b) {
      return a + b;
    }, 0);
    var pages = new Map();
    found.forEach(function (f, i) {
      var covers = i < list.length ? [i] : others[i - list.length].covers;
      var weight = i < list.length ? 1 : others[i - list.length].weight;
      f.results.forEach(function (result) {
        var page = pages.get(result.id);
        if (!page) {
          page = { result: result, score: 0, held: [] };
          pages.set(result.id, page);
        }
        page.score += weight * result.score;
        covers.forEach(function (k) {
          page.held[k] = true;
        });
      });
    });
    return Array.from(pages.values())
      .map(function (page) {
        var share = 0;
        var count = 0;
        rarity.forEach(function (r, k) {
          if (page.held[k]) {
            share += r;
            count += 1;
          }
        });
        share = whole ? share / whole : 0;
        return {
          result: page.result,
          held: page.held,
          full: count === list.length,
          rank: page.score * share * share,
        };
      })
      .sort(function (a, b) {
        return b.rank - a.rank;
      });
  }

  /* The results of a text of several words, in order: `all` (Pagefind's search of all the
   * words) as Pagefind ranks them, then the others of `each` (byWord's for `list`). Pagefind's
   * list holds the entries with every word that their language's index knows: each index
   * leaves out the words it does not have, and matches a Chinese word it lacks by its longest
   * known start. For a Chinese word that is what finds the English entries through their
   * glossary words; for an English word it would put a Chinese entry that holds one word of an
   * English query first, so an entry that lacks a Latin word of the query goes with the
   * others. Chosen on the judged queries of benchmarks/bench_relevance_site.py (see
   * docs/guide/site.md). */
  function merged(all, each, list) {
    var latin = list.map(function (word) {
      return /[a-z0-9]/.test(word);
    });
    var lacking = new Set();
    each.forEach(function (page) {
      var lacks = latin.some(function (isLatin, i) {
        return isLatin && !page.held[i];
      });
      if (lacks) lacking.add(page.result.id);
    });
    var first = all.filter(function (result) {
      return !lacking.has(result.id);
    });
    var placed = new Set(
      first.map(function (result) {
        return result.id;
      })
    );
    var rest = each.filter(function (page) {
      return !placed.has(page.result.id);
    });
    // Those that hold every word (some through the glossary) before those that hold some.
    return first.concat(
      rest
        .filter(function (page) {
          return page.full;
        })
        .concat(
          rest.filter(function (page) {
            return !page.full;
          })
        )
        .map(function (page) {
          return page.result;
        })
    );
  }

  window.kbSearchQuery = {
    exact: exact,
    meaningful: meaningful,
    words: words,
    byWord: byWord,
    merged: merged,
  };
})();
