// The response form's small helpers. Loaded from /static (the CSP forbids inline scripts);
// the form works the same without them.
(function () {
  "use strict";

  function formatNumber(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  // A visible count that follows every key, and a polite live region that speaks only
  // after a pause, so screen reader users are not interrupted at each character.
  function setUpCharacterCount(textarea) {
    var limit = parseInt(textarea.getAttribute("data-char-limit"), 10);
    var count = document.getElementById(textarea.id + "-count");
    var live = document.getElementById(textarea.id + "-live");
    if (!limit || !count) {
      return;
    }
    var timer = null;
    function message() {
      var left = limit - textarea.value.length;
      var template = left >= 0 ? count.getAttribute("data-remaining") : count.getAttribute("data-over");
      return template.replace("{n}", formatNumber(Math.abs(left)));
    }
    function update() {
      var text = message();
      count.textContent = text;
      count.classList.toggle("char-count-over", textarea.value.length > limit);
      if (live) {
        clearTimeout(timer);
        timer = setTimeout(function () { live.textContent = text; }, 1000);
      }
    }
    textarea.addEventListener("input", update);
    count.textContent = message();
  }

  function setUpPrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  document.querySelectorAll("textarea[data-char-limit]").forEach(setUpCharacterCount);
  setUpPrintButtons();
  focusErrorSummary();
})();
