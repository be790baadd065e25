/* retro-kb: sorting and filtering for the register tables, the risk heat map's cells, and a
   stand-in for mermaid (below). No dependencies, no outside host.
   A register is a table inside <div class="kb-register">. Filtering toggles row.hidden over
   precomputed lower-case row texts, and sorting re-appends rows once, so 5,000 rows stay fast.
   A long register (data-kb-page="100") arrives with only its first rows shown and the rest
   hidden, so the browser styles and lays out a few hundred cells, not tens of thousands: filter
   and sort still run over every row, and the first matches are shown, more as the reader
   scrolls down or asks for all of them.
   A register's state lives in the page's address, so a reload, a shared link and the back
   button bring it back: ?filter=words (the filter box; not ?q=, which opens Material's search),
   ?<column key>=value (a drop-down list),
   ?sort=key or ?sort=-key (descending), ?cell=4x5 (a heat map cell: probability x impact).
   The first click on a column sorts the way its heading says (data-kb-first: the most urgent
   first), the next one the other way. The words of the toolbar come with the register
   (data-kb-words, from the site language's catalog). */
(function () {
  "use strict";

  // Material draws a <pre class="mermaid"> with the global `mermaid`, and fetches mermaid from
  // unpkg.com when there is none. A page with a diagram loads the site's own copy before this
  // script runs; anywhere else this stand-in answers instead, showing the diagram's source, so
  // the site never asks another host for a script. (An element id="mermaid" is no `mermaid`.)
  if (typeof window.mermaid === "undefined" || window.mermaid instanceof Element) {
    window.mermaid = {
      initialize: function () {},
      registerIconPacks: function () {},
      render: function (id, text) {
        var pre = document.createElement("pre");
        var code = document.createElement("code");
        code.textContent = text;
        pre.appendChild(code);
        return Promise.resolve({ svg: pre.outerHTML });
      },
    };
  }

  var collator = new Intl.Collator(document.documentElement.lang || undefined, {
    numeric: true,
    sensitivity: "base",
  });
  // Only for a register written without its words (data-kb-words).
  var DEFAULT_WORDS = {
    filter: "Filter…",
    all: "all",
    rows: "rows",
    first: "Showing the first {shown} of {n} rows.",
    more: "Show {n} more",
    every: "Show all",
  };

  function wordsOf(box) {
    var words = {};
    var given = {};
    try {
      given = JSON.parse(box.getAttribute("data-kb-words") || "{}") || {};
    } catch (e) {
      given = {};
    }
    Object.keys(DEFAULT_WORDS).forEach(function (k) {
      words[k] = typeof given[k] === "string" ? given[k] : DEFAULT_WORDS[k];
    });
    return words;
  }

  function cellText(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  function isNumber(value) {
    return value === "" || /^-?\d+(\.\d+)?$/.test(value);
  }

  function params() {
    return new URLSearchParams(window.location.search);
  }

  function enhance(box, heatmap) {
    if (box.getAttribute("data-kb-ready")) return;
    box.setAttribute("data-kb-ready", "1");
    var table = box.querySelector("table");
    if (!table || !table.tBodies.length || !table.tHead) return;
    var WORDS = wordsOf(box);
    var body = table.tBodies[0];
    var page = Number(box.getAttribute("data-kb-page")) || Infinity;
    var limit = page;
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var data = Array.prototype.map.call(body.rows, function (row, index) {
      var cells = Array.prototype.map.call(row.cells, cellText);
      return {
        row: row,
        cells: cells,
        all: cells.join(" \u0001 ").toLowerCase(),
        index: index,
        cell: row.getAttribute("data-kb-cell") || "",
      };
    });
    // What the address calls each column: its key, else its position.
    var names = heads.map(function (th, col) {
      return th.getAttribute("data-kb-key") || "c" + col;
    });
    var cell = "";
    var sorted = { col: -1, ascending: true };

    var bar = document.createElement("div");
    bar.className = "kb-toolbar";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "kb-filter md-input";
    input.placeholder = WORDS.filter;
    input.setAttribute("aria-label", WORDS.filter);
    bar.appendChild(input);

    var selects = [];
    var wanted = (box.getAttribute("data-kb-filters") || "").split(",").filter(Boolean);
    heads.forEach(function (th, col) {
      if (wanted.indexOf(String(col)) === -1) return;
      var seen = Object.create(null);
      var count = 0;
      for (var i = 0; i < data.length && count <= 40; i++) {
        var v = data[i].cells[col];
        if (v && !seen[v]) {
          seen[v] = true;
          count++;
        }
      }
      if (count < 2 || count > 40) return;
      var select = document.createElement("select");
      select.className = "kb-select";
      select.setAttribute("aria-label", cellText(th));
      select.setAttribute("data-col", String(col));
      var first = document.createElement("option");
      first.value = "";
      first.textContent = cellText(th) + ": " + WORDS.all;
      select.appendChild(first);
      Object.keys(seen)
        .sort(collator.compare)
        .forEach(function (v) {
          var option = document.createElement("option");
          option.value = v;
          option.textContent = v;
          select.appendChild(option);
        });
      bar.appendChild(select);
      selects.push(select);
    });

    var shown = document.createElement("span");
    shown.className = "kb-shown";
    shown.setAttribute("aria-live", "polite");
    bar.appendChild(shown);
    box.insertBefore(bar, box.firstChild);

    var more = null;
    var moreButton = null;
    var moreNote = null;
    var observer = null;
    if (page !== Infinity) {
      more = document.createElement("div");
      more.className = "kb-more";
      more.hidden = true;
      moreNote = document.createElement("span");
      moreNote.className = "kb-more__note";
      more.appendChild(moreNote);
      moreButton = document.createElement("button");
      moreButton.type = "button";
      moreButton.className = "md-button";
      moreButton.addEventListener("click", function () {
        showMore(page * 5);
      });
      var everyButton = document.createElement("button");
      everyButton.type = "button";
      everyButton.className = "md-button";
      everyButton.textContent = WORDS.every;
      everyButton.addEventListener("click", function () {
        showMore(Infinity);
      });
      more.appendChild(moreButton);
      more.appendChild(everyButton);
      box.appendChild(more);
      // Scrolling to the end of the shown rows shows the next ones.
      if (typeof IntersectionObserver !== "undefined") {
        observer = new IntersectionObserver(
          function (seen) {
            if (seen.some(function (e) { return e.isIntersecting; })) showMore(page * 2);
          },
          { rootMargin: "0px 0px 600px 0px" }
        );
      }
    }

    function showMore(n) {
      limit = n === Infinity ? Infinity : limit + n;
      apply();
    }

    function apply() {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = [];
      selects.forEach(function (s) {
        if (s.value) wanted.push([Number(s.getAttribute("data-col")), s.value]);
      });
      var n = 0;
      for (var i = 0; i < data.length; i++) {
        var d = data[i];
        var ok = !cell || d.cell === cell;
        for (var j = 0; ok && j < words.length; j++) ok = d.all.indexOf(words[j]) !== -1;
        for (var k = 0; ok && k < wanted.length; k++) ok = d.cells[wanted[k][0]] === wanted[k][1];
        var show = ok && n < limit;
        if (d.row.hidden === show) d.row.hidden = !show;
        if (ok) n++;
      }
      shown.textContent = n + " / " + data.length + " " + WORDS.rows;
      if (more) {
        var rest = n - Math.min(n, limit);
        more.hidden = rest === 0;
        moreNote.textContent = WORDS.first.replace("{shown}", String(n - rest)).replace("{n}", n);
        moreButton.textContent = WORDS.more.replace("{n}", String(Math.min(rest, page * 5)));
        if (observer) {
          // Observing anew reports at once whether the end is still in view.
          observer.unobserve(more);
          if (rest) observer.observe(more);
        }
      }
      if (heatmap) markCell();
    }

    // A new filter starts again from the first rows.
    function refilter() {
      limit = page;
      apply();
    }

    function sortBy(col, ascending) {
      heads.forEach(function (other) {
        other.setAttribute("aria-sort", "none");
      });
      sorted = { col: col, ascending: ascending };
      if (col >= 0) heads[col].setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric =
        col >= 0 &&
        data.every(function (d) {
          return isNumber(d.cells[col]);
        });
      var dir = ascending ? 1 : -1;
      data.sort(function (a, b) {
        if (col < 0) return a.index - b.index;
        var x = a.cells[col];
        var y = b.cells[col];
        var c;
        if (x === "" || y === "") c = (x === "") - (y === "");
        else c = dir * (numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y));
        return c || a.index - b.index;
      });
      var fragment = document.createDocumentFragment();
      data.forEach(function (d) {
        fragment.appendChild(d.row);
      });
      body.appendChild(fragment);
      if (page !== Infinity) apply();
    }

    // The address: what this register shows, written back whenever it changes.
    function save(push) {
      var query = params();
      query.delete("filter");
      query.delete("sort");
      query.delete("cell");
      selects.forEach(function (s) {
        query.delete(names[Number(s.getAttribute("data-col"))]);
      });
      if (input.value.trim()) query.set("filter", input.value.trim());
      selects.forEach(function (s) {
        if (s.value) query.set(names[Number(s.getAttribute("data-col"))], s.value);
      });
      if (sorted.col >= 0) query.set("sort", (sorted.ascending ? "" : "-") + names[sorted.col]);
      if (cell) query.set("cell", cell);
      var text = query.toString();
      var url = window.location.pathname + (text ? "?" + text : "") + window.location.hash;
      if (url === window.location.pathname + window.location.search + window.location.hash) return;
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    }

    function load() {
      var query = params();
      input.value = query.get("filter") || "";
      selects.forEach(function (s) {
        var value = query.get(names[Number(s.getAttribute("data-col"))]) || "";
        var known = Array.prototype.some.call(s.options, function (o) {
          return o.value === value;
        });
        s.value = known ? value : "";
      });
      cell = /^[1-5]x[1-5]$/.test(query.get("cell") || "") ? query.get("cell") : "";
      var sort = query.get("sort") || "";
      var descending = sort.charAt(0) === "-";
      var col = names.indexOf(descending ? sort.slice(1) : sort);
      if (col !== sorted.col || (col >= 0 && descending === sorted.ascending)) {
        sortBy(col, !descending);
      }
      refilter();
    }

    function markCell() {
      Array.prototype.forEach.call(heatmap.querySelectorAll("a[data-kb-cell]"), function (a) {
        var on = a.getAttribute("data-kb-cell") === cell;
        a.parentNode.classList.toggle("kb-heat--active", on);
        a.setAttribute("aria-pressed", on ? "true" : "false");
      });
      var clear = heatmap.querySelector(".kb-heatmap__clear");
      if (clear) clear.hidden = !cell;
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        refilter();
        save(false);
      }, data.length > 2000 ? 80 : 0);
    });
    selects.forEach(function (s) {
      s.addEventListener("change", function () {
        refilter();
        save(true);
      });
    });

    heads.forEach(function (th, col) {
      th.classList.add("kb-sortable");
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var first = th.getAttribute("data-kb-first") !== "descending";
        sortBy(col, sorted.col === col ? !sorted.ascending : first);
        save(true);
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort();
        }
      });
    });

    if (heatmap) {
      heatmap.addEventListener("click", function (event) {
        var a = event.target.closest ? event.target.closest("a") : null;
        if (!a || !heatmap.contains(a)) return;
        event.preventDefault();
        var value = a.getAttribute("data-kb-cell") || "";
        cell = value && value !== cell ? value : "";
        refilter();
        save(true);
      });
    }

    window.addEventListener("popstate", load);
    load();
  }

  function init() {
    var boxes = document.querySelectorAll(".kb-register");
    var heatmap = document.querySelector(".kb-heatmap");
    Array.prototype.forEach.call(boxes, function (box, n) {
      // The heat map filters the page's first register: the risk case library's table.
      enhance(box, n === 0 ? heatmap : null);
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
