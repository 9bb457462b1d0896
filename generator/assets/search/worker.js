// The lunr engine, in a web worker so that typing never waits for it. On its first message it
// fetches search/index.json (written by the handbook build: one document per entry, the field
// weights and the stop words) and indexes it with lunr.js; then it answers queries with
// HandbookQuery.search (query.js), which looks up each word of a query here.
/* global lunr, HandbookQuery */
importScripts("lunr.js", "query.js");

var PREFIX = 0.6; // longer words that start with the word being typed count for a little less
var ready = null;

function load(indexUrl) {
  return fetch(indexUrl)
    .then(function (response) {
      if (!response.ok) throw new Error("search index: HTTP " + response.status);
      return response.json();
    })
    .then(function (data) {
      var lang = HandbookQuery.language(data);
      var stopWords = lang.stopWords;
      var counts = new Map();
      var docs = data.docs;
      var fields = Object.keys(data.fields);

      // The handbook's words, as the build splits them; stop words never reach the index.
      function tokenizer(value) {
        if (value == null) return [];
        return HandbookQuery.searchable(value, stopWords).map(function (w) { return new lunr.Token(w, {}); });
      }

      var index = lunr(function () {
        var builder = this;
        builder.tokenizer = tokenizer;
        builder.pipeline.reset();
        builder.pipeline.add(lunr.stemmer);
        builder.searchPipeline.reset();
        builder.searchPipeline.add(lunr.stemmer);
        builder.ref("i");
        fields.forEach(function (name) { builder.field(name, { boost: data.fields[name] }); });
        docs.forEach(function (doc, i) {
          var record = { i: String(i) };
          fields.forEach(function (name) {
            record[name] = doc[name] || "";
            if (name !== "g") {
              HandbookQuery.searchable(record[name], stopWords).forEach(function (w) {
                if (w.length > 2 && !lang.tokens.has(w)) counts.set(w, (counts.get(w) || 0) + 1);
              });
            }
          });
          builder.add(record);
        });
      });

      var sorted = Array.from(counts.keys()).sort();

      // Longer words of the handbook that start with `prefix`, the most used first.
      function startingWith(prefix, limit) {
        var lo = 0, hi = sorted.length;
        while (lo < hi) {
          var mid = (lo + hi) >> 1;
          if (sorted[mid] < prefix) lo = mid + 1; else hi = mid;
        }
        var found = [];
        for (var i = lo; i < sorted.length && sorted[i].indexOf(prefix) === 0; i++) {
          if (sorted[i] !== prefix) found.push(sorted[i]);
        }
        found.sort(function (a, b) { return counts.get(b) - counts.get(a); });
        return found.slice(0, limit);
      }

      var engine = {
        total: function () { return docs.length; },
        lookup: function (word, prefix) {
          var hits = new Map();
          var longer = prefix ? startingWith(word, 8) : [];
          var results = index.query(function (q) {
            q.term(word, { usePipeline: true });
            longer.forEach(function (w) { q.term(w, { usePipeline: true, boost: PREFIX }); });
          });
          results.forEach(function (r) { hits.set(Number(r.ref), r.score); });
          return Promise.resolve(hits);
        },
        wordsLike: function () { return Promise.resolve(counts); },
        head: function (key) { return Promise.resolve({ title: docs[key].t, keywords: docs[key].k || "" }); },
      };
      return { engine: engine, lang: lang, docs: docs };
    });
}

self.onmessage = function (event) {
  var message = event.data;
  if (!ready) ready = load(message.index);
  ready
    .then(function (state) {
      if (message.type !== "search") return;
      return HandbookQuery.search(message.query, state.engine, state.lang).then(function (found) {
        var results = found.ranked.map(function (r) {
          var doc = state.docs[r.key];
          return { url: doc.u, title: doc.t, where: doc.w, text: doc.x || "", score: r.score, coverage: r.coverage };
        });
        self.postMessage({ id: message.id, results: results, notes: found.notes, words: found.words });
      });
    })
    .catch(function (error) {
      self.postMessage({ id: message.id, error: String(error && error.message || error) });
    });
};
