// Template pages: a Copy button beside each document's "Download as Markdown" link. Copy puts
// the same text on the clipboard as the download: the Markdown as written, placeholders and
// all. Without JavaScript the download link still works and the button stays hidden.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button.hb-copy[data-document]");
  if (!buttons.length) return;

  function sourceOf(button) {
    var link = button.parentElement.querySelector("a.hb-download[data-document='" + button.dataset.document + "']");
    return link ? link.href : null;
  }

  function say(button, text) {
    button.textContent = text;
    clearTimeout(button._reset);
    button._reset = setTimeout(function () { button.textContent = "Copy"; }, 2500);
  }

  function copy(button) {
    var url = sourceOf(button);
    if (!url) return;
    var text = fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    });
    var done;
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      // A promise inside the item keeps the click's permission while the file loads.
      var blob = text.then(function (t) { return new Blob([t], { type: "text/plain" }); });
      done = navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
    } else {
      done = text.then(function (t) { return navigator.clipboard.writeText(t); });
    }
    done.then(
      function () { say(button, "Copied"); },
      function () { say(button, "Copy failed: use Download"); }
    );
  }

  buttons.forEach(function (button) {
    if (!sourceOf(button) || !navigator.clipboard) return;
    button.hidden = false;
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () { copy(button); });
  });
})();
