// Pagefind in Material's header: a search box that loads Pagefind and the index chunks it
// needs only once the reader starts typing. Used instead of Material's lunr search when the
// handbook is large (see generator/search.py). Results link to the entry's own anchor.
(function () {
  "use strict";
  // import() needs an absolute URL: resolve the bundle folder against this page.
  var bundle = new URL(document.currentScript.getAttribute("data-bundle"), document.baseURI).href;
  var siteRoot = new URL("..", bundle).pathname;
  var header = document.querySelector(".md-header__inner");
  if (!header) return;

  var box = document.createElement("div");
  box.className = "hb-search";
  box.setAttribute("role", "search");
  box.innerHTML =
    '<label class="hb-visually-hidden" for="hb-search-input">Search the handbook</label>' +
    '<input id="hb-search-input" class="hb-search__input" type="search" autocomplete="off"' +
    ' placeholder="Search" aria-controls="hb-search-results">' +
    '<div id="hb-search-results" class="hb-search__results" aria-live="polite" hidden></div>';
  header.insertBefore(box, header.querySelector(".md-header__source"));
  var input = box.querySelector("input");
  var results = box.querySelector(".hb-search__results");
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (module) {
        return module.options({ baseUrl: siteRoot }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function render(items) {
    if (!items.length) {
      results.innerHTML = '<p class="hb-search__empty">No results</p>';
      return;
    }
    results.innerHTML = items.map(function (item) {
      var subs = (item.sub_results || []).filter(function (sub) { return sub.url !== item.url; }).slice(0, 3);
      return '<article class="hb-search__result">' +
        '<a class="hb-search__link" href="' + encodeURI(item.url) + '">' + text(item.meta.title || item.url) + "</a>" +
        '<p class="hb-search__excerpt">' + item.excerpt + "</p>" +
        subs.map(function (sub) {
          return '<a class="hb-search__sub" href="' + encodeURI(sub.url) + '">' + text(sub.title) + "</a>";
        }).join("") + "</article>";
    }).join("");
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    var query = input.value.trim();
    if (!query) {
      results.hidden = true;
      return;
    }
    load().then(function (module) {
      return module.debouncedSearch(query, {}, 200);
    }).then(function (found) {
      if (found === null) return; // a newer query replaced this one
      return Promise.all(found.results.slice(0, 8).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (!items) return;
      render(items);
      results.hidden = false;
    });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      results.hidden = true;
      input.blur();
    }
  });
})();
