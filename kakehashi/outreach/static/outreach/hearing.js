/* Conditional hearing questions: a question with data-show-if-name is shown only while the question it depends on
   has one of data-show-if-values. A hidden question counts as unanswered for the questions after it.
   The server applies the same rule (answers of hidden questions are dropped), so this is only for the eye. */
(function () {
  "use strict";
  if (window.khHearing) { window.khHearing.update(document); return; }

  function valuesOf(scope, name) {
    var values = [];
    scope.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      var holder = input.closest(".hearing-question");
      if (holder && holder.hidden) { return; }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function update(root) {
    (root || document).querySelectorAll("[data-hearing]").forEach(function (hearing) {
      var scope = hearing.closest("form") || hearing;
      hearing.querySelectorAll("[data-show-if-name]").forEach(function (question) {
        var wanted = (question.dataset.showIfValues || "").split(" ");
        var shown = valuesOf(scope, question.dataset.showIfName).some(function (v) { return wanted.indexOf(v) >= 0; });
        question.hidden = !shown;
      });
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest("[data-hearing]")) { update(document); }
  });
  document.addEventListener("htmx:load", function (event) { update(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { update(document); });
  } else {
    update(document);
  }
  window.khHearing = { update: update };
})();
