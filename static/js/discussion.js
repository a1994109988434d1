/* @mention suggestions in the comment box. Typing "@" and a few letters lists desk users
   (fetched with htmx from the box's data-mentions URL); Up/Down move through the list
   (aria-activedescendant on the box), Enter or Tab inserts the name, Escape closes it.
   Without JavaScript one simply types @username: the server reads mentions from the text. */
(function () {
  "use strict";
  var TOKEN = /(?:^|[^\w@.+-])@([\w.+-]*)$/;
  var timer = null;

  function list(box) { return document.getElementById(box.getAttribute("aria-controls")); }
  function options(box) {
    var ul = list(box);
    return ul && !ul.hidden ? Array.prototype.slice.call(ul.querySelectorAll("[role=option]")) : [];
  }
  function say(text) {
    var status = document.getElementById("mention-status");
    if (status) status.textContent = text;
  }
  function close(box) {
    var ul = list(box);
    if (ul) { ul.hidden = true; ul.innerHTML = ""; }
    box.removeAttribute("aria-activedescendant");
  }
  function typedName(box) {
    var match = TOKEN.exec(box.value.slice(0, box.selectionStart));
    return match ? match[1] : null;
  }
  function select(box, index) {
    var all = options(box);
    if (!all.length) return;
    index = (index + all.length) % all.length;
    all.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    box.setAttribute("aria-activedescendant", all[index].id);
  }
  function current(box) {
    var all = options(box);
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute("aria-selected") === "true") return i;
    return -1;
  }
  function insert(box, option) {
    var name = option.getAttribute("data-username");
    var caret = box.selectionStart;
    var typed = typedName(box);
    if (typed === null) return;
    var start = caret - typed.length;
    box.value = box.value.slice(0, start) + name + " " + box.value.slice(caret);
    box.setSelectionRange(start + name.length + 1, start + name.length + 1);
    close(box);
    say("@" + name + " inserted.");
    box.focus();
  }
  function suggest(box) {
    var typed = typedName(box);
    if (typed === null) { close(box); return; }
    var url = box.getAttribute("data-mentions") + "?q=" + encodeURIComponent(typed);
    htmx.ajax("GET", url, { target: "#" + box.getAttribute("aria-controls"), swap: "outerHTML" }).then(function () {
      var count = options(box).length;
      box.removeAttribute("aria-activedescendant");
      say(count ? count + (count === 1 ? " person matches" : " people match") + ": Down arrow to choose, Enter to insert." : "");
    });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("textarea[data-mentions]")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(box); }, 150);
  });
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("textarea[data-mentions]") || !options(box).length) return;
    var at = current(box);
    if (event.key === "ArrowDown") { select(box, at + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { select(box, at < 0 ? -1 : at - 1); event.preventDefault(); }
    else if ((event.key === "Enter" || event.key === "Tab") && at >= 0) { insert(box, options(box)[at]); event.preventDefault(); }
    else if (event.key === "Escape") { close(box); event.preventDefault(); event.stopPropagation(); }
  });
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".mention-list [role=option]");
    if (!option) return;
    var box = document.querySelector('textarea[aria-controls="' + option.parentNode.id + '"]');
    if (box) { event.preventDefault(); insert(box, option); }
  });
})();
