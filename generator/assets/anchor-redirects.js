// Old anchors keep working: when the address names an anchor this page no longer has
// (an entry was renamed or moved), look it up in anchor-redirects.json, written by the
// handbook build, and go where the entry lives now.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.getAttribute("data-base") || ".";
  var page = script.getAttribute("data-page") || "";

  function follow() {
    var hash = decodeURIComponent(window.location.hash.slice(1));
    if (!hash) return;
    // A redirect page appends the original fragment to its own: "new-id#old-id".
    var parts = hash.split("#");
    var anchor = parts[parts.length - 1];
    if (parts.length === 1 && document.getElementById(anchor)) return;
    fetch(base + "/anchor-redirects.json")
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (map) {
        var target = (map[page] || {})[anchor];
        if (target) {
          window.location.replace(target);
        } else if (parts.length > 1) {
          var known = parts.filter(function (id) { return document.getElementById(id); });
          if (known.length) window.location.replace("#" + known[known.length - 1]);
        }
      })
      .catch(function () {});
  }

  follow();
  window.addEventListener("hashchange", follow);
})();
