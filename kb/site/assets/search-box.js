/* retro-kb: the search box in the site's header, on the functions of search.js (window.kbSearch).
 *
 * Results as you type (type, id, project, date, title, highlighted excerpt), best first; the
 * arrow keys move through them, Enter opens one (or the search page), Escape closes them; "/"
 * puts the cursor in the box. On a phone a button to the search page stands in for the box.
 * The form gets data-query="<query>" once the results for that query are shown. */
(function () {
  "use strict";

  var kb = window.kbSearch;
  if (!kb) return;
  var config = kb.config;
  var root = kb.root;
  var say = kb.say;
  var element = kb.element;

  var HEADER_RESULTS = 8;
  // Material Design's "magnify" icon, the one Material's own search button shows.
  var MAGNIFY =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true"><path d="' +
    "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79" +
    "l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5" +
    "S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5Z" +
    '"/></svg>';

  function headerBox() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner) return;
    var form = element("form", "kb-search");
    form.setAttribute("role", "search");
    form.action = new URL(config.searchPage, root).href;
    form.method = "get";
    var input = element("input", "kb-search__input");
    input.type = "search";
    input.name = "q";
    input.placeholder = say("placeholder");
    input.setAttribute("aria-label", say("label"));
    input.setAttribute("autocomplete", "off");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "kb-search-results");
    input.setAttribute("aria-autocomplete", "list");
    var panel = element("div", "kb-search__panel");
    panel.id = "kb-search-panel";
    panel.hidden = true;
    var status = element("p", "kb-search__status");
    status.setAttribute("aria-live", "polite");
    var list = element("ol", "kb-search__results");
    list.id = "kb-search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", say("label"));
    var all = element("a", "kb-search__all");
    all.title = say("open_page");
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(all);
    form.appendChild(input);
    form.appendChild(panel);
    var source = inner.querySelector(".md-header__source");
    inner.insertBefore(form, source);
    // On a phone the box has no room: a button to the search page stands in for it.
    var button = element("a", "kb-search__button md-header__button md-icon");
    button.href = new URL(config.searchPage, root).href;
    button.setAttribute("aria-label", say("open_page"));
    button.title = say("open_page");
    button.innerHTML = MAGNIFY;
    inner.insertBefore(button, source);

    var active = -1;

    function show(visible) {
      panel.hidden = !visible;
      input.setAttribute("aria-expanded", visible ? "true" : "false");
    }

    function options() {
      return list.querySelectorAll(".kb-result");
    }

    function activate(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.classList.toggle("kb-result--active", i === active);
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    var searches = kb.scheduler(draw, function () {
      return input.value;
    });

    async function draw() {
      var query = input.value.trim();
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!query) {
        list.replaceChildren();
        show(false);
        return;
      }
      show(true);
      if (!list.children.length) status.textContent = say("loading");
      all.href = kb.searchPageUrl(query, {});
      all.textContent = say("all_results", { query: query });
      var found;
      try {
        found = await kb.search(query, {});
      } catch (error) {
        status.textContent = kb.failure(error);
        return;
      }
      if (input.value.trim() !== query) return;
      var shown = await found.take(HEADER_RESULTS);
      if (input.value.trim() !== query) return;
      list.replaceChildren.apply(
        list,
        shown.map(function (data, i) {
          return kb.resultItem(data, "kb-search-option-" + i);
        })
      );
      status.textContent = found.total ? kb.counted(found.total) : say("no_results");
      form.dataset.query = query; // the query the results are for, for scripts and tests
    }

    input.addEventListener("input", searches.update);
    input.addEventListener("focus", function () {
      kb.open().catch(function () {});
      if (input.value.trim() && list.children.length) show(true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (panel.hidden && input.value.trim()) {
          show(true);
          active = -1;
        }
        activate(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0 && !panel.hidden) {
        event.preventDefault();
        window.location.href = options()[active].querySelector("a").href;
      } else if (event.key === "Escape" && !panel.hidden) {
        event.preventDefault(); // close the results; a second Escape clears the box as usual
        show(false);
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) show(false);
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;
      if (event.key === "/" && !typing) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  headerBox();
})();
