// How the handbook answers a query, whichever engine holds the index (see generator/search.py).
//
// A query is split into words the way the build splits the handbook's text
// (generator/search_text.py; a test checks that both agree). A word or phrase from a synonym
// group (search.yaml) stands for its whole group: the build marks every entry that uses any
// word of the group with the group's token, and the query looks that token up. Stop words are
// dropped: they are never searched for, and never matched as the start of a longer word. Each
// remaining word is looked up on its own in the engine; a word that matches nothing is tried as
// two joined words ("timezones") and then corrected against the handbook's own words
// ("escalaton").
//
// Entries are ranked by how much of the query they answer: the engine's scores are summed, then
// scaled by the share of the query's words (each weighted by how rare it is) that the entry
// matches, so a long question ranks the entry that answers most of it first, not the entry
// that repeats one of its words most. The best candidates are then ranked again by how much of
// the query their title and keywords name.
//
// Loaded by the page (with Pagefind) and by the lunr search worker; it defines HandbookQuery.
(function (root) {
  "use strict";

  var COVERAGE_POWER = 3; // how strongly a partial match is held back
  var MAX_RESULTS = 10;
  var RERANK = 20; // candidates whose titles are compared with the query
  var HEAD_BONUS = 2; // an entry whose title and keywords name the whole query scores 3×
  var CORRECTED = 0.8; // a corrected word's matches count for a little less

  var COMPOUND = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

  function unaccented(text) {
    return String(text).normalize("NFKD").replace(/\p{Mn}/gu, "").replace(/['’ʼ`]/g, "");
  }

  function normalise(text) {
    return unaccented(text).toLowerCase();
  }

  // Words with hyphenated compounds kept whole ("lock-in"), as generator/search_text.py.
  function compounds(text) {
    return normalise(text).match(COMPOUND) || [];
  }

  function words(text) {
    var out = [];
    compounds(text).forEach(function (c) { out.push.apply(out, c.split("-")); });
    return out;
  }

  // A stop word written in capitals is an acronym, not a stop word: "IT", "US".
  function acronym(raw) {
    return raw.length > 1 && raw === raw.toUpperCase() && raw !== raw.toLowerCase();
  }

  // The words that search looks at: `words` without stop words (acronyms kept).
  function searchable(text, stopWords) {
    var out = [];
    (unaccented(text).match(COMPOUND) || []).forEach(function (c) {
      c.split("-").forEach(function (raw) {
        var word = raw.toLowerCase();
        if (!stopWords.has(word) || acronym(raw)) out.push(word);
      });
    });
    return out;
  }

  // Plural and singular compared as one, for synonyms: "vendors" is "vendor".
  function fold(word) {
    if (word.length > 4 && /ies$/.test(word)) return word.slice(0, -3) + "y";
    if (word.length > 3 && /[^su]s$/.test(word)) return word.slice(0, -1);
    return word;
  }

  // The settings the build ships with the index: stop words and synonym groups, each group
  // with the token that marks the entries using it.
  function language(settings) {
    var stopWords = new Set(settings.stopWords);
    var phrases = new Map();
    var members = new Map();
    var groups = (settings.synonyms || []).map(function (group, g) {
      var marks = [];
      group.terms.forEach(function (term) {
        var all = words(term);
        var meaningful = all.filter(function (w) { return !stopWords.has(w); });
        var loose = meaningful.length >= 2; // stop words between its words may vary
        var ws = (loose ? meaningful : all).map(fold);
        if (!ws.length) return;
        if (ws.length === 1) {
          members.set(ws[0], g);
          marks.push(all[0]); // a one-word synonym is marked in results' text; a phrase's words are not
        }
        var list = phrases.get(ws[0]) || [];
        list.push({ words: ws, group: g, loose: loose });
        phrases.set(ws[0], list);
      });
      return { token: group.token, marks: marks };
    });
    phrases.forEach(function (list) { list.sort(function (a, b) { return b.words.length - a.words.length; }); });
    var tokens = new Set(groups.map(function (group) { return group.token; }));
    return { stopWords: stopWords, groups: groups, phrases: phrases, members: members, tokens: tokens };
  }

  // What to look up, in order, without repeats: synonym phrases as their group, other words
  // without stop words. A hyphenated word also brings its joined form ("lock-in" → "lockin"),
  // which the index holds for such words. `last` marks the word still being typed: it also
  // matches longer words.
  function plan(query, lang) {
    var seen = {};
    var terms = [];
    var raw = [];
    var list = unaccented(query).match(COMPOUND) || [];
    list.forEach(function (compound) {
      var parts = compound.split("-");
      parts.forEach(function (part, j) {
        var last = j === parts.length - 1 && parts.length > 1;
        raw.push({ raw: part, word: part.toLowerCase(), joined: last ? parts.join("").toLowerCase() : null });
      });
    });
    var typing = !/\s$/.test(query);
    function add(term) {
      var key = term.group != null ? "#" + term.group : term.word;
      if (seen[key]) {
        // Two words of one synonym group ("travel to visit"): one idea, both words count.
        if (term.group != null) seen[key].literals.push.apply(seen[key].literals, term.literals);
        return;
      }
      seen[key] = term;
      terms.push(term);
    }
    function content(words) {
      return words.filter(function (w) { return !lang.stopWords.has(w); });
    }
    for (var i = 0; i < raw.length; i++) {
      var match = phraseAt(raw, i, lang);
      if (match) {
        var said = raw.slice(i, i + match.length).map(function (r) { return r.word; });
        add({ word: said.join(" "), group: match.group, literals: [content(said)], last: false });
        i += match.length - 1;
        continue;
      }
      var t = raw[i];
      var isLast = typing && i === raw.length - 1;
      if (!lang.stopWords.has(t.word) || acronym(t.raw)) add({ word: t.word, last: isLast && !t.joined });
      if (t.joined) {
        var g = lang.members.get(fold(t.joined));
        add(g != null ? { word: t.joined, group: g, literals: [[t.joined]], last: false } : { word: t.joined, last: isLast });
      }
    }
    if (!terms.length && raw.length) {
      // A query of stop words only ("how to"): search them rather than nothing, as whole
      // words ("on" is not the start of "onboarding").
      raw.forEach(function (t) { add({ word: t.word, last: false, whole: true }); });
    }
    return terms;
  }

  // The longest synonym phrase that starts at word i of the query, if any: its group and how
  // many words of the query it spans. Stop words inside a phrase may differ ("end a contract"
  // is "end the contract"), as in generator/search_docs.py.
  function phraseAt(raw, i, lang) {
    var candidates = lang.phrases.get(fold(raw[i].word)) || [];
    for (var c = 0; c < candidates.length; c++) {
      var p = candidates[c];
      var k = i, n = 0;
      while (n < p.words.length && k < raw.length) {
        var w = fold(raw[k].word);
        if (w === p.words[n]) { n++; k++; }
        else if (p.loose && lang.stopWords.has(raw[k].word) && k > i) k++;
        else break;
      }
      if (n === p.words.length) return { group: p.group, length: k - i };
    }
    return null;
  }

  // A rough stem, for telling an inflected word from a misspelt one without a full stemmer:
  // "paying" and "payment" share "pay", "renewing" and "renewal" share "renew".
  function roughStem(word) {
    var m = /^(.{3,}?)(ations?|ments?|ions?|ings?|ers?|ed|es|al|ly|s)$/.exec(word);
    return m ? m[1] : word;
  }

  // Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), giving up
  // above `max`.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  // The handbook's words nearest to a misspelt one: one edit away for short words, two for
  // long ones; the closest first, then the most used.
  function corrections(word, counts) {
    if (word.length < 4 || /^\d+$/.test(word)) return [];
    var max = word.length >= 8 ? 2 : 1;
    var found = [];
    counts.forEach(function (count, candidate) {
      if (candidate === word) return;
      var d = distance(word, candidate, max);
      if (d <= max) found.push({ word: candidate, d: d, count: count });
    });
    found.sort(function (x, y) { return x.d - y.d || y.count - x.count; });
    var best = found.length ? found[0].d : 0;
    return found.filter(function (f) { return f.d === best; }).slice(0, 2).map(function (f) { return f.word; });
  }

  // "timezones" → ["time", "zones"] when both halves are words of the handbook.
  function split(word, counts) {
    var best = null;
    for (var i = 2; i <= word.length - 2; i++) {
      var a = word.slice(0, i), b = word.slice(i);
      if (counts.has(a) && counts.has(b)) {
        var score = Math.min(counts.get(a), counts.get(b));
        if (!best || score > best.score) best = { parts: [a, b], score: score };
      }
    }
    return best ? best.parts : null;
  }

  function merge(into, hits, factor) {
    hits.forEach(function (score, key) {
      into.set(key, Math.max(into.get(key) || 0, score * factor));
    });
  }

  // The engine answers: total() documents in all; lookup(word, prefix, token, whole) → Promise
  // of a Map from document key to score (`token`: a synonym group's token, not a reader's word;
  // `whole`: only the very word, never one it starts); wordsLike(word) → Promise of a Map from the handbook's words
  // (those that may be near `word`) to how often each is used; head(key) → Promise of the
  // document's {title, keywords}.
  function search(query, engine, lang) {
    var notes = [];
    var concepts = [];

    // A word (or a synonym group) as a concept: what it matches, what to mark in the text.
    function lookup(word, prefix, whole) {
      var g = lang.members.get(fold(word));
      if (g != null) return lookupGroup(g, [[word]]);
      return engine.lookup(word, prefix, false, whole).then(function (hits) { return { key: word, hits: hits, marks: [word] }; });
    }
    // The entries that use any word of the group; those that use the very words the reader
    // typed (all the words of each phrase) rank first among them.
    function lookupGroup(g, phrases) {
      var group = lang.groups[g];
      var said = [].concat.apply([], phrases);
      var all = [engine.lookup(group.token, false, true)].concat(said.map(function (w) { return engine.lookup(w, false); }));
      return Promise.all(all).then(function (found) {
        var hits = new Map(found[0]);
        var literal = {};
        said.forEach(function (w, i) { literal[w] = found[i + 1]; });
        hits.forEach(function (score, key) {
          phrases.forEach(function (phrase) {
            if (!phrase.every(function (w) { return literal[w].has(key); })) return;
            phrase.forEach(function (w) { score += literal[w].get(key); });
          });
          hits.set(key, score);
        });
        return { key: group.token, hits: hits, marks: said.concat(group.marks) };
      });
    }

    function resolve(term) {
      var first = term.group != null ? lookupGroup(term.group, term.literals) : lookup(term.word, term.last, term.whole);
      return first.then(function (concept) {
        if (concept.hits.size || term.group != null) return [concept];
        return engine.wordsLike(term.word).then(function (counts) {
          counts = new Map(counts);
          lang.members.forEach(function (g, w) { if (!counts.has(w)) counts.set(w, 1); });
          var halves = split(term.word, counts);
          if (halves) {
            notes.push({ typed: term.word, searched: halves.join(" ") });
            return Promise.all(halves.map(function (h) { return lookup(h, false); }));
          }
          var fixes = corrections(term.word, counts);
          if (!fixes.length) return [concept];
          notes.push({ typed: term.word, searched: fixes.join(" or ") });
          return Promise.all(fixes.map(function (f) { return lookup(f, false); })).then(function (found) {
            var hits = new Map();
            found.forEach(function (c) { merge(hits, c.hits, CORRECTED); });
            return [{ key: found[0].key, hits: hits, marks: [].concat.apply([], found.map(function (c) { return c.marks; })) }];
          });
        });
      });
    }

    return plan(query, lang).reduce(function (done, term) {
      return done.then(function () {
        return resolve(term).then(function (found) { concepts.push.apply(concepts, found); });
      });
    }, Promise.resolve()).then(function () {
      var known = concepts.filter(function (c) { return c.hits.size; });
      known.forEach(function (c) {
        var df = c.hits.size;
        c.weight = Math.log(1 + (engine.total() - df + 0.5) / (df + 0.5));
      });
      return rerank(rank(known), known, engine, lang);
    }).then(function (ranked) {
      var marks = [].concat.apply([], concepts.map(function (c) { return c.marks; }));
      return { ranked: ranked, notes: notes, words: marks };
    });
  }

  // Sum the engine's scores of each entry, then scale by the share of the query it covers.
  function rank(known) {
    var all = known.reduce(function (a, c) { return a + c.weight; }, 0);
    var scores = new Map();
    known.forEach(function (c) {
      c.hits.forEach(function (score, key) {
        var s = scores.get(key) || { key: key, sum: 0, covered: 0 };
        s.sum += score;
        s.covered += c.weight;
        scores.set(key, s);
      });
    });
    var list = [];
    scores.forEach(function (s) {
      s.coverage = all ? s.covered / all : 0;
      s.score = s.sum * Math.pow(s.coverage, COVERAGE_POWER);
      list.push(s);
    });
    list.sort(function (a, b) { return b.score - a.score; });
    return list;
  }

  // The best candidates again, by how much of the query their title and keywords name, and
  // how much of their title is the query: an entry called what the reader asked for goes
  // first, before a long checklist item that mentions it among other things. Both engines
  // weigh titles, but Pagefind's weights saturate early and it does not know where a title
  // ends; this makes titles count the same with either.
  function rerank(list, known, engine, lang) {
    var top = list.slice(0, RERANK);
    var all = known.reduce(function (a, c) { return a + c.weight; }, 0);
    var matchers = known.map(function (c) { return matcher(c.marks); });
    return Promise.all(top.map(function (s) { return engine.head(s.key); })).then(function (heads) {
      top.forEach(function (s, i) {
        var title = searchable(heads[i].title, lang.stopWords);
        var head = title.concat(words(heads[i].keywords));
        var covered = 0;
        known.forEach(function (c, k) {
          if (head.indexOf(c.key) >= 0 || head.some(matchers[k])) covered += c.weight;
        });
        var inTitle = title.filter(function (w) { return matchers.some(function (m) { return m(w); }); }).length;
        var named = all ? covered / all : 0;
        var precision = title.length ? inTitle / title.length : 0;
        s.score *= 1 + HEAD_BONUS * named * named * (0.5 + 0.5 * precision);
      });
      top.sort(function (a, b) { return b.score - a.score; });
      return top.slice(0, MAX_RESULTS);
    });
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A word of the text matches a searched word when it starts with the searched word's stem,
  // roughly: its first letters, leaving room for an ending ("renewing" → "renew…").
  function matcher(searched) {
    var stems = [];
    searched.forEach(function (w) {
      words(w).forEach(function (part) { stems.push(part.length <= 4 ? part : part.slice(0, Math.max(4, part.length - 3))); });
    });
    return function (word) {
      var n = normalise(word);
      return stems.some(function (s) { return n.indexOf(s) === 0; });
    };
  }

  // Up to `length` characters of the text around its first matching word, HTML-escaped, with
  // the matching words marked.
  function snippet(text, searched, length) {
    length = length || 180;
    text = String(text || "");
    var matches = matcher(searched);
    var re = /[\p{L}\p{N}'’]+/gu, m, first = -1;
    while ((m = re.exec(text))) {
      if (matches(m[0])) { first = m.index; break; }
    }
    var start = first > length / 3 ? text.lastIndexOf(" ", first - length / 3) + 1 : 0;
    var end = Math.min(text.length, start + length);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
    var piece = text.slice(start, end);
    var out = "", last = 0;
    re.lastIndex = 0;
    while ((m = re.exec(piece))) {
      if (matches(m[0])) {
        out += escape(piece.slice(last, m.index)) + "<mark>" + escape(m[0]) + "</mark>";
        last = m.index + m[0].length;
      }
    }
    out += escape(piece.slice(last));
    return (start > 0 ? "…" : "") + out + (end < text.length ? "…" : "");
  }

  root.HandbookQuery = {
    normalise: normalise,
    compounds: compounds,
    words: words,
    searchable: searchable,
    fold: fold,
    roughStem: roughStem,
    language: language,
    plan: plan,
    distance: distance,
    corrections: corrections,
    split: split,
    search: search,
    escape: escape,
    snippet: snippet,
  };
})(typeof self !== "undefined" ? self : this);
