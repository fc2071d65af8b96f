// The response form's "send me a copy by e-mail" choice is shown only once an e-mail address
// is typed: there is nowhere to send it before. Without this script it is always shown, and
// a ticked box without an address is simply not acted on.
(function () {
  "use strict";

  document.querySelectorAll("[data-shown-with]").forEach(function (choice) {
    var address = document.getElementById(choice.getAttribute("data-shown-with"));
    if (!address) {
      return;
    }
    function update() {
      choice.hidden = address.value.trim() === "";
    }
    address.addEventListener("input", update);
    update();
  });
})();
