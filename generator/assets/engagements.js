// Checklists and scorecards used during an engagement: tick items or pick scores, keep one set
// of answers per named engagement in this browser (localStorage), see progress, weighted
// results, a chart and what needs action, and export the answers as Markdown or CSV.
// Without JavaScript the pages still read (and print) as complete checklists and scorecards.
(function () {
  "use strict";
  var tool = document.querySelector(".hb-tool[data-tool]");
  if (!tool) return;
  var kind = tool.dataset.tool;
  var playbook = tool.dataset.playbook;
  var storageKey = "handbook:v1:" + playbook;
  var article = tool.closest("article") || document.body;

  // --- storage ----------------------------------------------------------------------------
  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (saved && saved.engagements && saved.current) return saved;
    } catch (error) { /* unreadable: start afresh */ }
    return { current: "Default engagement", engagements: { "Default engagement": { answers: {} } } };
  }
  var state = load();
  function save() {
    state.engagements[state.current].updated = new Date().toISOString();
    localStorage.setItem(storageKey, JSON.stringify(state));
  }
  function answers() { return state.engagements[state.current].answers; }

  // --- the questions on the page --------------------------------------------------------------
  var items = [];
  if (kind === "scorecard") {
    article.querySelectorAll("fieldset.hb-criterion").forEach(function (set) {
      var heading = document.getElementById(set.dataset.criterion);
      items.push({
        id: set.dataset.criterion, group: set.dataset.group, set: set,
        title: heading ? heading.textContent.replace(/¶$/, "").trim() : set.dataset.criterion,
        weight: +set.dataset.weight, threshold: +set.dataset.threshold,
        min: +set.dataset.min, max: +set.dataset.max,
      });
    });
  } else {
    var group = "";
    var counts = {};
    article.querySelectorAll("h2[id], li.task-list-item").forEach(function (node) {
      if (node.tagName === "H2") { group = node.id; return; }
      var box = node.querySelector("input[type=checkbox]");
      if (!box) return;
      counts[group] = (counts[group] || 0) + 1;
      var anchor = node.querySelector("span[id]");
      var label = (node.querySelector(":scope > p") || node).cloneNode(true);
      label.querySelectorAll("ul, p").forEach(function (child) { child.remove(); });
      var title = label.textContent.replace(/\s+/g, " ").trim();
      items.push({ id: anchor ? anchor.id : group + "-" + counts[group], group: group, box: box, title: title });
      box.disabled = false;
      box.setAttribute("aria-label", title);
    });
  }
  function groupTitle(id) {
    var heading = document.getElementById(id);
    return heading ? heading.textContent.replace(/¶$/, "").trim() : id;
  }

  // --- controls ---------------------------------------------------------------------------
  tool.hidden = false;
  tool.innerHTML =
    '<div class="hb-tool__row">' +
    '<label for="hb-engagement">Engagement</label> <select id="hb-engagement"></select> ' +
    '<label for="hb-new-name" class="hb-visually-hidden">Name of a new engagement</label>' +
    '<input id="hb-new-name" type="text" placeholder="New engagement, e.g. Acme pilot, Q3"> ' +
    '<button type="button" data-action="new">Add</button> ' +
    '<button type="button" data-action="reset">Reset answers</button> ' +
    '<button type="button" data-action="markdown">Export Markdown</button> ' +
    '<button type="button" data-action="csv">Export CSV</button>' +
    "</div>" +
    '<p class="hb-tool__status" role="status" aria-live="polite"></p>' +
    '<p class="hb-print-header"></p>';
  var select = tool.querySelector("select");
  var status = tool.querySelector(".hb-tool__status");
  function fillSelect() {
    select.innerHTML = "";
    Object.keys(state.engagements).sort().forEach(function (name) {
      var option = document.createElement("option");
      option.value = option.textContent = name;
      option.selected = name === state.current;
      select.appendChild(option);
    });
  }
  select.addEventListener("change", function () { state.current = select.value; save(); show(); });
  tool.addEventListener("click", function (event) {
    var action = event.target.dataset && event.target.dataset.action;
    if (action === "new") {
      var input = tool.querySelector("#hb-new-name");
      var name = input.value.trim();
      if (!name) { input.focus(); return; }
      if (!state.engagements[name]) state.engagements[name] = { answers: {} };
      state.current = name;
      input.value = "";
      save(); fillSelect(); show();
    } else if (action === "reset") {
      state.engagements[state.current].answers = {};
      save(); show();
    } else if (action === "markdown") {
      download(slug() + ".md", "text/markdown", toMarkdown());
    } else if (action === "csv") {
      download(slug() + ".csv", "text/csv", toCsv());
    }
  });
  items.forEach(function (item) {
    if (item.set) {
      item.set.addEventListener("change", function (event) {
        answers()[item.id] = +event.target.value;
        save(); show();
      });
    } else {
      item.box.addEventListener("change", function () {
        if (item.box.checked) answers()[item.id] = true; else delete answers()[item.id];
        save(); show();
      });
    }
  });

  // --- results ----------------------------------------------------------------------------
  function results() {
    var groups = {};
    var order = [];
    var totalWeight = 0, totalScore = 0, below = [];
    items.forEach(function (item) {
      if (!groups[item.group]) { groups[item.group] = { weight: 0, score: 0, answered: 0, count: 0 }; order.push(item.group); }
      var g = groups[item.group];
      g.count += 1;
      var value = answers()[item.id];
      if (kind === "checklist") { if (value) g.answered += 1; return; }
      if (value === undefined) return;
      g.answered += 1;
      var share = item.max > item.min ? (value - item.min) / (item.max - item.min) : 1;
      g.weight += item.weight; g.score += item.weight * share;
      totalWeight += item.weight; totalScore += item.weight * share;
      if (value < item.threshold) below.push(item);
    });
    return { groups: groups, order: order, total: totalWeight ? totalScore / totalWeight : null, below: below };
  }
  function percent(value) { return value === null ? "–" : Math.round(value * 100) + "%"; }

  // One row a group: its full title (it wraps), a bar and the figure. A scorecard's group with
  // nothing scored yet is "not scored", never 0%; a checklist's counts what is done.
  function chart(r) {
    var html = '<ul class="hb-chart" aria-label="Result by group">';
    r.order.forEach(function (id) {
      var g = r.groups[id];
      var value = kind === "checklist" ? g.answered / g.count : (g.answered ? g.score / g.weight : null);
      var counted = kind === "checklist" ? g.answered + " of " + g.count + " done" : g.answered + " of " + g.count + " scored";
      var width = value === null ? 0 : Math.round(value * 1000) / 10;
      html += '<li class="hb-chart__row' + (value === null ? " hb-chart__row--unscored" : "") + '">' +
        '<span class="hb-chart__label">' + escape(groupTitle(id)) + "</span>" +
        '<span class="hb-chart__track" aria-hidden="true"><span class="hb-chart__bar" style="width: ' + width + '%"></span></span>' +
        '<span class="hb-chart__value">' + (value === null ? "not scored" : Math.round(value * 100) + "%") +
        ' <small>(' + counted + ")</small></span></li>";
    });
    return html + "</ul>";
  }
  function escape(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  function show() {
    fillSelect();
    items.forEach(function (item) {
      var value = answers()[item.id];
      if (item.set) {
        item.set.querySelectorAll("input").forEach(function (input) { input.checked = +input.value === value; });
        item.set.classList.toggle("hb-criterion--below", value !== undefined && value < item.threshold);
      } else {
        item.box.checked = !!value;
      }
    });
    var r = results();
    var done = Object.keys(answers()).length;
    status.textContent = kind === "checklist"
      ? done + " of " + items.length + " items done for “" + state.current + "”"
      : done + " of " + items.length + " criteria scored for “" + state.current + "”: total " + percent(r.total);
    tool.querySelector(".hb-print-header").textContent =
      "Engagement: " + state.current + " · Printed " + today() + reviewed();
    var area = document.querySelector(".hb-results");
    if (!area) return;
    var html = '<p class="hb-total">Weighted total: <strong>' + (r.total === null ? "not scored yet" : percent(r.total)) +
      "</strong></p>" + chart(r);
    if (r.below.length) {
      html += "<h3>Below threshold</h3><ul class=\"hb-below\">";
      r.below.forEach(function (item) {
        var remedies = article.querySelector('.hb-remedies[data-for="' + item.id + '"]');
        html += '<li><a href="#' + item.id + '">' + escape(item.title) + "</a>: " + answers()[item.id] +
          " (threshold " + item.threshold + ")" + (remedies ? "<br>" + remedies.innerHTML : "") + "</li>";
      });
      html += "</ul>";
    } else if (Object.keys(answers()).length) {
      html += "<p>No scored criterion is below its threshold.</p>";
    }
    area.innerHTML = html;
  }

  // --- export -----------------------------------------------------------------------------
  function today() { return new Date().toISOString().slice(0, 10); }
  // The internal handbook says when the playbook was last reviewed; the partner handbook has no review dates.
  function reviewed() { return tool.dataset.reviewed ? " · Playbook last reviewed " + tool.dataset.reviewed : ""; }
  function slug() { return (playbook + "-" + state.current).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); }
  function csvCell(value) { var text = String(value); return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text; }
  function toMarkdown() {
    var lines = ["# " + tool.dataset.title, "",
      "Engagement: " + state.current + " · Exported " + today() + reviewed(), ""];
    if (kind === "checklist") {
      var current = null;
      items.forEach(function (item) {
        if (item.group !== current) { current = item.group; lines.push("", "## " + groupTitle(current), ""); }
        lines.push("- [" + (answers()[item.id] ? "x" : " ") + "] " + item.title);
      });
    } else {
      var r = results();
      lines.push("Weighted total: " + percent(r.total), "", "| Group | Criterion | Weight | Score | Threshold | Status |", "|---|---|---|---|---|---|");
      items.forEach(function (item) {
        var value = answers()[item.id];
        var state_ = value === undefined ? "not scored" : value < item.threshold ? "below threshold" : "ok";
        lines.push("| " + [groupTitle(item.group), item.title, item.weight, value === undefined ? "" : value, item.threshold, state_]
          .map(function (cell) { return String(cell).replace(/\|/g, "\\|"); }).join(" | ") + " |");
      });
    }
    return lines.join("\n") + "\n";
  }
  function toCsv() {
    var rows = kind === "checklist"
      ? [["group", "item", "id", "done"]].concat(items.map(function (item) {
          return [groupTitle(item.group), item.title, item.id, answers()[item.id] ? "yes" : "no"]; }))
      : [["group", "criterion", "id", "weight", "score", "threshold", "below_threshold"]].concat(items.map(function (item) {
          var value = answers()[item.id];
          return [groupTitle(item.group), item.title, item.id, item.weight, value === undefined ? "" : value, item.threshold,
            value === undefined ? "" : value < item.threshold ? "yes" : "no"]; }));
    return rows.map(function (row) { return row.map(csvCell).join(","); }).join("\n") + "\n";
  }
  function download(name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  document.querySelectorAll(".hb-noscript").forEach(function (node) { node.remove(); });
  show();
})();
