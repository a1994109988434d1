/* Evidence editing in place on the claim page (htmx). Without JavaScript the same links and
   forms open their own page and redirect back, so this only manages focus and polling. */
(function () {
  "use strict";
  // After a swap, put keyboard focus where the work continues: the edited item, the first
  // field of a form that just opened, or the list's status message.
  // A refresh of the list (while archiving) replaces the element that had keyboard focus:
  // remember it, so that focus comes back to the same item instead of falling to the page.
  var focusedBeforeSwap = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    var list = document.getElementById("evidence-list");
    focusedBeforeSwap = list && active && active.id && list.contains(active) ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document;
    var list = document.querySelector("#evidence-list[data-focus-item]");
    var target = null;
    if (list) {
      target = document.getElementById(list.getAttribute("data-focus-item"));
      list.removeAttribute("data-focus-item");
      if (target) target.setAttribute("tabindex", "-1");
    }
    target = target || document.querySelector("[data-focus-after-swap]") ||
      (root.querySelector && root.querySelector("[autofocus]")) ||
      (focusedBeforeSwap && document.getElementById(focusedBeforeSwap));
    focusedBeforeSwap = null;
    if (target) {
      target.focus();
      target.removeAttribute("data-focus-after-swap");
    }
  });
  // While archiving, the evidence list refreshes itself every few seconds; never while an
  // edit or removal form is open in it, which would throw away what is being typed.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "evidence-list" && elt.querySelector("form.evidence-edit")) {
      event.preventDefault();
    }
  });
})();
