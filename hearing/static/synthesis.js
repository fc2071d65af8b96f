// Follows a synthesis run on its status page: polls the run's JSON status and updates the
// progress bar; when the run ends, reloads the page so the server shows the result. Loaded
// from /static (the CSP forbids inline scripts); without it the page has a reload link.
(function () {
  "use strict";

  var box = document.getElementById("run-status");
  if (!box || box.getAttribute("data-active") !== "true") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("run-progress");
  var percent = document.getElementById("run-percent");
  var stage = document.getElementById("run-stage");
  var label = document.getElementById("run-status-label");
  var delay = 1500;

  function show(status) {
    if (bar) {
      bar.value = status.progress;
      bar.textContent = status.progress + " %";
    }
    if (percent) {
      percent.textContent = status.progress + " %";
    }
    if (stage) {
      stage.textContent = status.stage_label;
    }
    if (label) {
      label.textContent = status.status_label;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.active) {
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // A lost connection is retried more slowly; the reload link still works.
        window.setTimeout(poll, delay * 4);
      });
  }

  window.setTimeout(poll, delay);
})();
