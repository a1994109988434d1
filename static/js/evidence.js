/* Evidence editing in place on the claim page (htmx). Without JavaScript the same links and
   forms open their own page and redirect back, so this only manages focus and polling. */
(function () {
  "use strict";
  // After a swap, put keyboard focus where the work continues: the edited item, the first
  // field of a form that just opened, or the list's status message.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document;
    var target = document.querySelector("[data-focus-after-swap]") ||
      (root.querySelector && root.querySelector("[autofocus]"));
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
