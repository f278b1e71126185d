/* Buddhist Era date inputs: every <input data-bedate> (see chumchon.core.forms.BEDateInput).
 *
 * The input stays a plain text input holding dd/mm/yyyy in Buddhist Era (23/11/2532), so
 * what the server rendered is what the browser sends back. This script adds a small picker
 * (BE years, Thai month names) and, when the person leaves the field, rewrites an ISO or
 * Common Era date they typed (1989-11-23, 23/11/1989) as BE, or says in Thai what is wrong.
 * The server reads the text the same way (chumchon.core.spreadsheet.dates.parse_date).
 *
 * window.ChumchonBEDate exposes parse/format for other scripts (the phone form).
 * Plain JavaScript, no build step, nothing fetched.
 */
(function () {
  "use strict";

  var BE = 543;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  var DEFAULTS = {
    months: ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"],
    days: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
    open: "เลือกวันที่", prev: "เดือนก่อน", next: "เดือนถัดไป", today: "วันนี้", close: "ปิด", year: "ปี พ.ศ.", month: "เดือน",
    invalid: "ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 23/11/2532)",
    twoDigit: "ปีต้องมี 4 หลัก เช่น 2532",
    notExist: "วันที่นี้ไม่มีอยู่จริง",
    range: "ปีอยู่นอกช่วงที่รับได้ (พ.ศ. 2443–2743)"
  };

  function strings() {
    var el = document.getElementById("bedate-i18n");
    if (!el) return DEFAULTS;
    try {
      var given = JSON.parse(el.textContent);
      var out = {};
      Object.keys(DEFAULTS).forEach(function (k) { out[k] = given[k] || DEFAULTS[k]; });
      return out;
    } catch (e) { return DEFAULTS; }
  }

  function arabic(text) {
    return String(text || "").replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* {y, m, d} (CE) or {error: key}; "" is {empty: true}. Same rules as the server. */
  function parse(text) {
    var s = arabic(text).trim();
    if (!s) return { empty: true };
    var y, m, d, yearText, match;
    if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) {
      y = parseInt(match[1], 10); m = parseInt(match[2], 10); d = parseInt(match[3], 10);
    } else if ((match = /^(\d{1,2})\s*([\/.\-])\s*(\d{1,2})\s*\2\s*(\d+)$/.exec(s))) {
      d = parseInt(match[1], 10); m = parseInt(match[3], 10); yearText = match[4];
      if (yearText.length <= 2) return { error: "twoDigit" };
      if (yearText.length !== 4) return { error: "invalid" };
      y = parseInt(yearText, 10);
    } else {
      return { error: "invalid" };
    }
    if (y > 2400) y -= BE;
    if (y < 1900 || y > 2200) return { error: "range" };
    var date = new Date(Date.UTC(y, m - 1, d));
    if (m < 1 || m > 12 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      return { error: "notExist" };
    }
    return { y: y, m: m, d: d };
  }

  function format(p) { return pad(p.d) + "/" + pad(p.m) + "/" + (p.y + BE); }
  function iso(p) { return p.y + "-" + pad(p.m) + "-" + pad(p.d); }

  var t = strings();
  var open = null; // the picker showing, if any

  function closePicker(focusInput) {
    if (!open) return;
    var input = open.input;
    open.box.remove();
    open.button.setAttribute("aria-expanded", "false");
    open = null;
    if (focusInput) input.focus();
  }

  function message(input, text) {
    var box = input.parentNode.querySelector(".bedate-error");
    if (!box) {
      box = document.createElement("span");
      box.className = "bedate-error";
      box.setAttribute("role", "alert");
      input.parentNode.appendChild(box);
    }
    box.textContent = text || "";
    box.hidden = !text;
    input.setCustomValidity(text || "");
    if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }

  function normalise(input) {
    var p = parse(input.value);
    if (p.empty) { message(input, ""); return; }
    if (p.error) { message(input, t[p.error]); return; }
    input.value = format(p);
    message(input, "");
  }

  function todayParts() {
    var now = new Date();
    return { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
  }

  function showPicker(input, button) {
    closePicker(false);
    var chosen = parse(input.value);
    var view = chosen.y ? { y: chosen.y, m: chosen.m } : todayParts();
    var box = document.createElement("div");
    box.className = "bedate-picker";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", t.open);

    var head = document.createElement("div");
    head.className = "bedate-head";
    function navButton(label, text, step) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary bedate-nav";
      b.setAttribute("aria-label", label);
      b.textContent = text;
      b.addEventListener("click", function () {
        view.m += step;
        if (view.m < 1) { view.m = 12; view.y -= 1; }
        if (view.m > 12) { view.m = 1; view.y += 1; }
        draw();
      });
      return b;
    }
    var monthSelect = document.createElement("select");
    monthSelect.className = "bedate-month";
    monthSelect.setAttribute("aria-label", t.month);
    t.months.forEach(function (name, i) {
      var o = document.createElement("option");
      o.value = String(i + 1);
      o.textContent = name;
      monthSelect.appendChild(o);
    });
    monthSelect.addEventListener("change", function () {
      var m = parseInt(monthSelect.value, 10);
      if (m !== view.m) { view.m = m; draw(); }
    });
    var yearInput = document.createElement("input");
    yearInput.type = "text";
    yearInput.inputMode = "numeric";
    yearInput.className = "bedate-year";
    yearInput.setAttribute("aria-label", t.year);
    yearInput.maxLength = 4;
    function takeYear(final) {
      var y = parseInt(arabic(yearInput.value), 10);
      if (y > 2400 && y - BE >= 1900 && y - BE <= 2200) {
        // Redrawn only when the year changes: a redraw while a day is being clicked
        // (the year box losing focus fires "change") would swallow the click.
        if (y - BE !== view.y) { view.y = y - BE; draw(); }
      } else if (final) {
        yearInput.value = String(view.y + BE);
      }
    }
    yearInput.addEventListener("input", function () { takeYear(false); });
    yearInput.addEventListener("change", function () { takeYear(true); });
    head.appendChild(navButton(t.prev, "‹", -1));
    head.appendChild(monthSelect);
    head.appendChild(yearInput);
    head.appendChild(navButton(t.next, "›", 1));
    box.appendChild(head);

    var grid = document.createElement("table");
    grid.className = "bedate-grid";
    box.appendChild(grid);

    var foot = document.createElement("div");
    foot.className = "bedate-foot";
    var todayButton = document.createElement("button");
    todayButton.type = "button";
    todayButton.className = "secondary";
    todayButton.textContent = t.today;
    todayButton.addEventListener("click", function () { choose(todayParts()); });
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "link";
    closeButton.textContent = t.close;
    closeButton.addEventListener("click", function () { closePicker(true); });
    foot.appendChild(todayButton);
    foot.appendChild(closeButton);
    box.appendChild(foot);

    function choose(p) {
      input.value = format(p);
      message(input, "");
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      closePicker(true);
    }

    function draw() {
      monthSelect.value = String(view.m);
      if (document.activeElement !== yearInput) yearInput.value = String(view.y + BE);
      grid.innerHTML = "";
      var headRow = document.createElement("tr");
      t.days.forEach(function (name) {
        var th = document.createElement("th");
        th.scope = "col";
        th.textContent = name;
        headRow.appendChild(th);
      });
      var thead = document.createElement("thead");
      thead.appendChild(headRow);
      grid.appendChild(thead);
      var body = document.createElement("tbody");
      var first = new Date(Date.UTC(view.y, view.m - 1, 1)).getUTCDay();
      var last = new Date(Date.UTC(view.y, view.m, 0)).getUTCDate();
      var today = todayParts();
      var row = document.createElement("tr");
      for (var i = 0; i < first; i++) row.appendChild(document.createElement("td"));
      for (var d = 1; d <= last; d++) {
        if (row.children.length === 7) { body.appendChild(row); row = document.createElement("tr"); }
        var td = document.createElement("td");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "bedate-day";
        b.textContent = String(d);
        var p = { y: view.y, m: view.m, d: d };
        b.dataset.date = iso(p);
        b.setAttribute("aria-label", d + " " + t.months[view.m - 1] + " " + (view.y + BE));
        if (chosen.y === p.y && chosen.m === p.m && chosen.d === d) { b.classList.add("chosen"); b.setAttribute("aria-pressed", "true"); }
        if (today.y === p.y && today.m === p.m && today.d === d) b.classList.add("today");
        b.addEventListener("click", choose.bind(null, p));
        td.appendChild(b);
        row.appendChild(td);
      }
      body.appendChild(row);
      grid.appendChild(body);
    }

    draw();
    button.parentNode.insertBefore(box, button.nextSibling);
    button.setAttribute("aria-expanded", "true");
    open = { box: box, input: input, button: button };
    var focus = box.querySelector(".bedate-day.chosen") || box.querySelector(".bedate-day.today") || box.querySelector(".bedate-day");
    if (focus) focus.focus();
  }

  function calendarIcon() {
    // Drawn, not an emoji: phones and office PCs without an emoji font show a box.
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    [["rect", { x: "2.5", y: "4", width: "15", height: "13.5", rx: "2", fill: "none", stroke: "currentColor", "stroke-width": "1.6" }],
     ["path", { d: "M2.5 8.5h15M6.5 2v4M13.5 2v4", stroke: "currentColor", "stroke-width": "1.6", "stroke-linecap": "round" }],
     ["rect", { x: "5.5", y: "11", width: "3", height: "3", fill: "currentColor" }]].forEach(function (spec) {
      var el = document.createElementNS(ns, spec[0]);
      Object.keys(spec[1]).forEach(function (k) { el.setAttribute(k, spec[1][k]); });
      svg.appendChild(el);
    });
    return svg;
  }

  function enhance(input) {
    if (input.dataset.bedateReady) return;
    input.dataset.bedateReady = "1";
    var wrap = document.createElement("span");
    wrap.className = "bedate";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary bedate-open";
    button.setAttribute("aria-label", t.open);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.title = t.open;
    button.appendChild(calendarIcon());
    wrap.appendChild(button);
    button.addEventListener("click", function () {
      if (open && open.input === input) closePicker(true); else showPicker(input, button);
    });
    input.addEventListener("change", function () { normalise(input); });
    input.addEventListener("blur", function () { normalise(input); });
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("input[data-bedate]"), enhance);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) closePicker(true);
  });
  document.addEventListener("click", function (event) {
    if (open && !open.box.contains(event.target) && !open.button.contains(event.target)) closePicker(false);
  });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });

  window.ChumchonBEDate = { parse: parse, format: format, iso: iso, message: function (key) { return t[key]; }, enhance: enhance };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { enhanceAll(); });
  else enhanceAll();
})();
