/* The claims desk's triage keys. Each action is also a visible link, checkbox or form button;
   the keys only save reaching for the mouse. They never fire while typing in a field. */
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) && el.type !== "checkbox");
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-claim-row]")); }
  function selected() { return document.querySelector("tr[data-claim-row].is-selected"); }
  function select(row) {
    rows().forEach(function (r) { r.classList.remove("is-selected"); r.removeAttribute("aria-current"); });
    if (!row) return;
    row.classList.add("is-selected");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
  }
  function post(url, fields) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    fields.csrfmiddlewaretoken = token ? token.value : "";
    fields.next = window.location.pathname + window.location.search;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "Enter" && event.target.closest && event.target.closest("a, button")) return;
    var all = rows();
    if (!all.length) return;
    var row = selected();
    var index = row ? all.indexOf(row) : -1;
    switch (event.key) {
      case "j": select(all[Math.min(index + 1, all.length - 1)]); break;
      case "k": select(all[Math.max(index - 1, 0)]); break;
      case "x":
        if (!row) return;
        var box = row.querySelector("input[type=checkbox]");
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
        break;
      case "Enter": case "o":
        if (!row) return;
        window.location.href = row.dataset.url; break;
      case "a":
        if (!row) return;
        post(row.dataset.assignUrl, { assignee: "me" }); break;
      case "t":
        if (!row) return;
        post(row.dataset.moveUrl, { to: "triaged" }); break;
      default: return;
    }
    event.preventDefault();
  });
  // Clicking a row (not its link or checkbox) selects it, so mouse and keys agree.
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-claim-row]");
    if (row && !event.target.closest("a, input, button, label")) select(row);
  });
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("tr[data-claim-row] input[type=checkbox]")) return;
    var count = document.querySelectorAll("tr[data-claim-row] input[type=checkbox]:checked").length;
    var label = document.getElementById("bulk-count");
    if (label) label.textContent = count ? count + " selected:" : "Tick claims (or press x), then:";
  });
})();
