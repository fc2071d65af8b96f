// Redaction panel: selecting text in one of the response's texts fills that text's form with
// the span (start and end in characters, and the words, which the server checks against the
// text). Without this script the words are typed, and every place they occur is redacted.
(function () {
  "use strict";

  // Python counts characters (code points); JavaScript strings count UTF-16 units.
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function remember() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    var node = range.commonAncestorContainer;
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    var container = element ? element.closest(".redaction-text") : null;
    if (!container || !range.toString().trim()) {
      return;
    }
    var form = document.getElementById("redact-form-" + container.getAttribute("data-target"));
    if (!form) {
      return;
    }
    form.elements.start.value = offsetIn(container, range.startContainer, range.startOffset);
    form.elements.end.value = offsetIn(container, range.endContainer, range.endOffset);
    form.elements.words.value = range.toString();
  }

  document.addEventListener("mouseup", remember);
  document.addEventListener("keyup", remember);
  // Words typed by hand are looked up in the text instead of the selection.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.name === "words" && field.form && field.form.classList.contains("redaction-form")) {
      field.form.elements.start.value = "";
      field.form.elements.end.value = "";
    }
  });
})();
