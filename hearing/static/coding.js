// Coding page: selecting text in an answer fills that answer's tag form with the passage (its
// start and end in characters, and the text itself, which the server checks against the
// answer). Without this script the same form tags the whole answer, or a pasted passage.
(function () {
  "use strict";

  // Python counts characters (code points); JavaScript strings count UTF-16 units.
  function characters(text) {
    return Array.from(text).length;
  }

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return characters(range.toString());
  }

  function answerTextOf(node) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(".coding-text") : null;
  }

  function remember() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    var container = answerTextOf(range.commonAncestorContainer);
    if (!container) {
      return;
    }
    var form = document.getElementById("tag-form-" + container.getAttribute("data-answer"));
    if (!form) {
      return;
    }
    var quote = range.toString();
    if (!quote.trim()) {
      return;
    }
    form.elements.start.value = offsetIn(container, range.startContainer, range.startOffset);
    form.elements.end.value = offsetIn(container, range.endContainer, range.endOffset);
    form.elements.quote.value = quote;
    var details = form.querySelector(".coding-passage");
    if (details) {
      details.open = true;
    }
    var shown = form.querySelector(".coding-selection");
    if (!shown) {
      shown = document.createElement("p");
      shown.className = "coding-selection";
      shown.setAttribute("aria-live", "polite");
      form.insertBefore(shown, form.querySelector("button[type=submit]"));
    }
    shown.textContent = form.getAttribute("data-selected-label") + ": «" + quote + "»";
  }

  document.addEventListener("mouseup", remember);
  document.addEventListener("keyup", remember);
  // A passage typed or edited by hand is looked up in the answer instead of the selection.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.name === "quote" && field.form && field.form.classList.contains("coding-tag-form")) {
      field.form.elements.start.value = "";
      field.form.elements.end.value = "";
      var shown = field.form.querySelector(".coding-selection");
      if (shown) {
        shown.remove();
      }
    }
  });
})();
