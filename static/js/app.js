/* FactDesk keyboard layer. Every action it triggers is also a link or a form button. */
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "?") {
      var help = document.getElementById("shortcut-help");
      if (help && help.showModal) { help.showModal(); event.preventDefault(); }
      return;
    }
    if (key === "/") {
      var search = document.querySelector("[data-shortcut-search]");
      if (search) { search.focus(); event.preventDefault(); }
      return;
    }
    if (pendingG) {
      pendingG = false;
      if (key === "q") { window.location.href = "/"; event.preventDefault(); }
      return;
    }
    if (key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1200); return; }
    // Page-specific shortcuts: any element with data-shortcut="k" is clicked or focused.
    var target = document.querySelector('[data-shortcut="' + CSS.escape(key) + '"]');
    if (target) {
      event.preventDefault();
      if (target.matches("input, select, textarea")) target.focus(); else target.click();
    }
  });
  document.dispatchEvent(new CustomEvent("factdesk:ready"));
})();
