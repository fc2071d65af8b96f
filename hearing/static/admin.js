// Secretariat pages: ask before irreversible actions (forms marked with data-confirm).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A new consultation's address follows its title as it is typed (input marked data-slug-from),
// until the secretariat writes an address of their own. The same rules as the server's
// forms.consultation.slugify, which proposes the address when the field is left empty.
(function () {
  var LETTERS = { "æ": "ae", "ø": "o", "å": "a", "ß": "ss" };
  var MAX_LENGTH = 80;

  function slugify(title) {
    var text = title.toLowerCase().replace(/[æøåß]/g, function (letter) { return LETTERS[letter]; });
    var slug = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > MAX_LENGTH) {
      var cut = slug.slice(0, MAX_LENGTH + 1);
      slug = cut.indexOf("-") >= 0 ? cut.slice(0, cut.lastIndexOf("-")) : slug.slice(0, MAX_LENGTH);
    }
    return slug.replace(/^-+|-+$/g, "");
  }

  document.querySelectorAll("input[data-slug-from]").forEach(function (slugInput) {
    var title = document.getElementById(slugInput.getAttribute("data-slug-from"));
    if (!title) {
      return;
    }
    // The address last proposed, or null once the secretariat has written one of their own.
    var proposed = slugInput.value === "" || slugInput.value === slugify(title.value) ? slugInput.value : null;
    title.addEventListener("input", function () {
      if (proposed !== null && slugInput.value === proposed) {
        proposed = slugify(title.value);
        slugInput.value = proposed;
      }
    });
    slugInput.addEventListener("input", function () {
      proposed = slugInput.value === "" ? "" : null;
    });
  });
})();
