// The handbook's search box, in Material's header. Results are entries, each with the page
// it lives on, and link straight to the entry's anchor. Nothing is downloaded until the
// reader starts a search. Two engines sit behind it (see generator/search.py):
//   lunr      search/index.json, indexed in a web worker (worker.js)
//   pagefind  pagefind/, chunks fetched as query words need them; here in the page.
// When nothing matches, or the results do not help, the box offers the FAQ and a pre-filled
// question to the handbook's owners (a new issue in the repository's tracker).
/* global HandbookQuery */
(function () {
  "use strict";
  var script = document.currentScript;
  var header = document.querySelector(".md-header__inner");
  if (!header || !window.HandbookQuery) return;

  function attr(name) { return script.getAttribute("data-" + name) || ""; }
  function resolve(path) { return new URL(path, document.baseURI).href; }

  var engineName = attr("engine");
  var siteRoot = resolve(attr("base") + "/");
  var askTemplate = attr("ask");
  var faqUrl = attr("faq") ? resolve(attr("base") + "/" + attr("faq")) : "";
  var DEBOUNCE = engineName === "pagefind" ? 180 : 80;

  // --- the box ----------------------------------------------------------------------------
  var box = document.createElement("div");
  box.className = "hb-search";
  box.setAttribute("role", "search");
  box.innerHTML =
    '<label class="hb-visually-hidden" for="hb-search-input">Search the handbook</label>' +
    '<input id="hb-search-input" class="hb-search__input" type="search" autocomplete="off" spellcheck="false"' +
    ' placeholder="Search" role="combobox" aria-autocomplete="list" aria-expanded="false"' +
    ' aria-controls="hb-search-results" aria-keyshortcuts="/">' +
    '<div class="hb-search__panel" data-hb-search-query="" hidden>' +
    '<p class="hb-search__status" role="status"></p>' +
    '<ul id="hb-search-results" class="hb-search__results" role="listbox" aria-label="Search results"></ul>' +
    '<p class="hb-search__help"></p>' +
    "</div>";
  header.insertBefore(box, header.querySelector(".md-header__source"));
  var input = box.querySelector("input");
  var panel = box.querySelector(".hb-search__panel");
  var status = box.querySelector(".hb-search__status");
  var list = box.querySelector(".hb-search__results");
  var help = box.querySelector(".hb-search__help");

  // --- engines ----------------------------------------------------------------------------
  var engine = null;

  function lunrEngine() {
    var worker = new Worker(resolve(attr("worker")));
    var pending = {};
    var next = 0;
    worker.onmessage = function (event) {
      var done = pending[event.data.id];
      delete pending[event.data.id];
      if (!done) return;
      if (event.data.error) done.reject(new Error(event.data.error));
      else done.resolve(event.data);
    };
    var index = resolve(attr("index"));
    worker.postMessage({ type: "load", index: index });
    return {
      search: function (query) {
        return new Promise(function (resolveResult, reject) {
          var id = ++next;
          pending[id] = { resolve: resolveResult, reject: reject };
          worker.postMessage({ type: "search", id: id, query: query, index: index });
        });
      },
    };
  }

  function pagefindEngine() {
    var bundle = resolve(attr("bundle"));
    var wordsDir = resolve(attr("words"));
    var settings = fetch(resolve(attr("config"))).then(function (r) { return r.json(); });
    // Each entry's fields are in its record's text, weighted there (generator/search.py); its
    // metadata only says what to show and where to link, so it must not count as a match.
    // termFrequency 0: a word counts by the weights of the fields it is in, as in lunr, rather
    // than by its share of a record's words, which would let short records win on body text.
    var ranking = { termFrequency: 0, metaWeights: { title: 0, url: 0, where: 0, text: 0, keywords: 0 } };
    // A large handbook's documents are in several indexes (config.json lists all but the first,
    // generator/search.py): Pagefind merges them into the first, each with the same ranking.
    var bundles = settings.then(function (config) {
      return [bundle].concat((config.pagefindIndexes || []).map(function (more) { return bundle + more; }));
    });
    var pagefind = Promise.all([import(bundle + "pagefind.js"), bundles]).then(function (loaded) {
      var module = loaded[0];
      return module.options({ ranking: ranking })
        .then(function () {
          return Promise.all(loaded[1].slice(1).map(function (more) { return module.mergeIndex(more, { ranking: ranking }); }));
        })
        .then(function () { return module.init(); })
        .then(function () { return module; });
    });
    var total = bundles.then(function (all) {
      return Promise.all(all.map(function (b) {
        return fetch(b + "pagefind-entry.json").then(function (r) { return r.json(); }).then(function (entry) {
          var languages = entry.languages || {};
          return Object.keys(languages).reduce(function (n, k) { return n + (languages[k].page_count || 0); }, 0);
        });
      }));
    }).then(function (counts) { return counts.reduce(function (a, b) { return a + b; }, 0); });
    var shards = {};
    var found = {};
    function shard(letter) {
      if (!/^[a-z0-9]$/.test(letter)) letter = "_";
      if (!shards[letter]) {
        shards[letter] = fetch(wordsDir + letter + ".json")
          .then(function (r) { return r.ok ? r.json() : {}; })
          .catch(function () { return {}; });
      }
      return shards[letter];
    }
    // A word is known when the handbook has it, a longer word starting with it (the reader is
    // still typing), or a word with the same rough stem ("paying", "payment").
    function known(word) {
      var stem = HandbookQuery.roughStem(word);
      return shard(word[0]).then(function (counts) {
        if (counts[word] || word.length < 4) return true;
        return Object.keys(counts).some(function (w) { return w.indexOf(word) === 0 || HandbookQuery.roughStem(w) === stem; });
      });
    }
    // Pagefind matches the start of words: a whole word is searched only if the handbook has it.
    function has(word) {
      return shard(word[0]).then(function (counts) { return Boolean(counts[word]); });
    }
    var state = Promise.all([pagefind, total, settings]).then(function (all) {
      var module = all[0];
      var count = all[1];
      var core = {
        total: function () { return count; },
        // Pagefind matches a word it does not know by the longest word it knows that starts
        // the same way ("statment" → "stat…"): a word that no word of the handbook resembles
        // is left to correction instead.
        lookup: function (word, prefix, token, whole) {
          var ask = token ? Promise.resolve(true) : whole ? has(word) : known(word);
          return ask.then(function (yes) {
            return yes ? module.search(word) : { results: [] };
          }).then(function (result) {
            var hits = new Map();
            result.results.forEach(function (r) {
              if (!(r.score > 0)) return; // matched only in metadata
              found[r.id] = r;
              hits.set(r.id, r.score);
            });
            return hits;
          });
        },
        head: function (key) {
          return found[key].data().then(function (d) { return { title: d.meta.title, keywords: d.meta.keywords || "" }; });
        },
        // A misspelt word usually keeps its first or second letter, and the second half of two
        // words typed as one ("timezones") starts with one of its letters: the lists of the
        // word's letters, each fetched once.
        wordsLike: function (word) {
          var letters = word.split("").filter(function (c, i, all) { return all.indexOf(c) === i; });
          return Promise.all(letters.map(shard)).then(function (parts) {
            var counts = new Map();
            parts.forEach(function (p) { Object.keys(p).forEach(function (w) { counts.set(w, p[w]); }); });
            return counts;
          });
        },
      };
      return { core: core, lang: HandbookQuery.language(all[2]) };
    });
    return {
      search: function (query) {
        return state.then(function (s) {
          return HandbookQuery.search(query, s.core, s.lang).then(function (result) {
            return Promise.all(result.ranked.map(function (r) { return found[r.key].data(); })).then(function (data) {
              return {
                results: data.map(function (d) {
                  return { url: d.meta.url, title: d.meta.title, where: d.meta.where, text: d.meta.text || "" };
                }),
                notes: result.notes,
                words: result.words,
              };
            });
          });
        });
      },
    };
  }

  function ensureEngine() {
    if (!engine) engine = engineName === "pagefind" ? pagefindEngine() : lunrEngine();
    return engine;
  }

  // --- rendering --------------------------------------------------------------------------
  var esc = HandbookQuery.escape;
  var active = -1;
  var current = { query: "", results: [] };

  function link(url) {
    var target = new URL(url, siteRoot);
    if (target.pathname === location.pathname && target.hash) return target.hash; // same page: just scroll
    return target.href;
  }

  function askHref(query, results) {
    if (!askTemplate) return "";
    var titles = results.slice(0, 3).map(function (r) { return "- " + r.title; }).join("\n") || "none";
    var body =
      'I searched the handbook for "' + query + '" and did not find what I needed.\n\n' +
      "Searched from: " + location.href + "\nFirst results:\n" + titles + "\n\nWhat I was looking for:\n";
    return askTemplate
      .replace("{title}", encodeURIComponent("Handbook question: " + query))
      .replace("{body}", encodeURIComponent(body));
  }

  function helpLinks(query, results, lead) {
    var links = [];
    if (faqUrl) links.push('<a href="' + esc(faqUrl) + '">Browse the FAQ</a>');
    var ask = askHref(query, results);
    if (ask) {
      links.push('<a class="hb-search__ask" href="' + esc(ask) + '" target="_blank" rel="noopener">' +
        "Ask the handbook’s owners</a>");
    }
    return links.length ? lead + " " + links.join(" or ") + "." : "";
  }

  function render(query, found) {
    current = { query: query, results: found.results };
    active = found.results.length ? 0 : -1;
    var notes = (found.notes || []).map(function (n) {
      return "Searched for <em>" + esc(n.searched) + "</em> (you typed <em>" + esc(n.typed) + "</em>).";
    });
    status.innerHTML = found.results.length
      ? (found.results.length === 1 ? "1 entry" : found.results.length + " entries") + (notes.length ? ". " + notes.join(" ") : "")
      : "Nothing in the handbook matches <em>" + esc(query) + "</em>.";
    list.innerHTML = found.results.map(function (r, i) {
      return '<li id="hb-search-result-' + i + '" role="option" aria-selected="' + (i === 0) + '">' +
        '<a class="hb-search__link" href="' + esc(link(r.url)) + '" tabindex="-1">' +
        '<span class="hb-search__title">' + esc(r.title) + "</span>" +
        '<span class="hb-search__where">' + esc(r.where) + "</span>" +
        (r.text ? '<span class="hb-search__snippet">' + HandbookQuery.snippet(r.text, found.words || []) + "</span>" : "") +
        "</a></li>";
    }).join("");
    help.innerHTML = found.results.length
      ? helpLinks(query, found.results, "Not what you needed?")
      : helpLinks(query, [], "Try other words,");
    input.setAttribute("aria-activedescendant", active >= 0 ? "hb-search-result-0" : "");
    finish(query);
  }

  function finish(query) {
    panel.setAttribute("data-hb-search-query", query);
    panel.setAttribute("aria-busy", "false");
  }

  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", String(show));
  }

  function move(step) {
    var items = list.querySelectorAll("[role=option]");
    if (!items.length) return;
    active = (active + step + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === active)); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  // --- events -----------------------------------------------------------------------------
  var timer = null;
  var latest = 0;

  function run() {
    var query = input.value;
    var id = ++latest;
    if (!query.trim()) {
      open(false);
      finish(query);
      return;
    }
    panel.setAttribute("aria-busy", "true");
    open(true);
    if (!current.results.length) status.textContent = "Searching…";
    ensureEngine()
      .search(query)
      .then(function (found) { if (id === latest) render(query, found); })
      .catch(function (error) {
        if (id !== latest) return;
        status.textContent = "Search is not available: " + error.message;
        list.innerHTML = "";
        finish(query);
      });
  }

  input.addEventListener("focus", function () {
    ensureEngine();
    if (input.value.trim()) open(true);
  });
  input.addEventListener("input", function () {
    panel.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(true);
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      var target = list.querySelectorAll(".hb-search__link")[Math.max(active, 0)];
      if (target) {
        event.preventDefault();
        target.click();
      }
    } else if (event.key === "Escape") {
      open(false);
      input.blur();
    }
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) open(false);
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) open(false);
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(input|textarea|select)$/i.test(event.target.tagName) || event.target.isContentEditable;
    if (!typing && (event.key === "/" || event.key === "s") && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
})();
