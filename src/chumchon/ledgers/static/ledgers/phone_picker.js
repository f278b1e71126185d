/* The phone form's category picker: as the volunteer writes the item (เหล้าขาว, ค่าเน็ต),
 * the household's picker endpoint — the one ranking the grid, the imports and the API use,
 * by what this household wrote before — offers up to three categories under it; a tap
 * chooses one (its chip if it has one, else the "other category" list). Offline nothing
 * is offered and the chips work as ever.
 *
 * Plain JavaScript, no build step; separate from phone.js, which it only reads the
 * form of (the radios named "category" and the #ph-other list).
 */
(function () {
  "use strict";

  var box = document.getElementById("ph-suggest");
  var item = document.getElementById("ph-item");
  var form = document.getElementById("phone-form");
  if (!box || !item || !form || !window.fetch) return;
  var url = box.getAttribute("data-url");
  var other = document.getElementById("ph-other");
  var timer = null;
  var asked = 0;

  function clean(text) { return String(text || "").replace(/\s+/g, " ").trim(); }

  function choose(code) {
    var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=category]"));
    var radio = radios.filter(function (r) { return r.value === code; })[0];
    if (radio) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (other) {
      other.value = code;
      other.dispatchEvent(new Event("change", { bubbles: true }));
    }
    Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-code") === code ? "true" : "false");
    });
  }

  function show(items) {
    box.innerHTML = "";
    items.slice(0, 3).forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary chip-suggest kind-" + c.kind;
      b.setAttribute("data-code", c.code);
      b.setAttribute("aria-pressed", "false");
      b.textContent = c.name_th + " (" + c.code + ")";
      box.appendChild(b);
    });
    box.hidden = !items.length;
  }

  function ask() {
    var q = clean(item.value);
    var mine = ++asked;
    if (!q || navigator.onLine === false) { show([]); return; }
    fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then(function (data) { if (mine === asked) show(data.items || []); })
      .catch(function () { if (mine === asked) show([]); });
  }

  item.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 200);
  });
  box.addEventListener("click", function (event) {
    var b = event.target.closest("button[data-code]");
    if (b) choose(b.getAttribute("data-code"));
  });
  form.addEventListener("submit", function () { window.setTimeout(function () { show([]); }, 0); });
})();
