// The grouped main menu: one group open at a time; a click elsewhere or Escape closes it.
(function () {
  "use strict";
  function groups() { return document.querySelectorAll(".site-nav__group"); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.classList || !opened.classList.contains("site-nav__group") || !opened.open) return;
    groups().forEach(function (group) { if (group !== opened) group.open = false; });
  }, true);
  document.addEventListener("click", function (event) {
    groups().forEach(function (group) { if (group.open && !group.contains(event.target)) group.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    groups().forEach(function (group) {
      if (group.open) { group.open = false; group.querySelector("summary").focus(); }
    });
  });
})();
