/* The volunteers' phone form: lines are kept on the phone first, then sent.
 *
 * A line is written to localStorage (one queue per user and household) the moment it is
 * added, and only leaves the queue when the server answers that its key is saved. The
 * queue is sent on page load, when the phone comes back online, after each new line,
 * and every 30 s while anything waits. A line the server refuses (a closed month, an
 * unknown category) stays in the queue with the server's message until the volunteer
 * changes it, tries again or deletes it. The household list page shows (and sends)
 * what waits for every household.
 *
 * Plain JavaScript, no build step.
 */
(function () {
  "use strict";

  var PREFIX = "chumchon.phone.v1.";
  var RETRY_MS = 30000;
  var TIMEOUT_MS = 30000;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function readJSON(id, fallback) {
    var el = document.getElementById(id);
    if (!el) return fallback;
    try { return JSON.parse(el.textContent); } catch (e) { return fallback; }
  }

  var page = document.getElementById("phone");
  var list = document.getElementById("phone-households");
  var host = page || list;
  if (!host) return;

  var t = readJSON("phone-i18n", {});
  var categories = readJSON("phone-categories", []);
  var months = readJSON("phone-months", []);
  var byCode = {};
  categories.forEach(function (c) { byCode[c.code] = c; });
  var user = host.dataset.user;
  var csrf = host.dataset.csrf;
  var linesUrl = host.dataset.linesUrl;
  var loginUrl = host.dataset.loginUrl;
  var household = page ? page.dataset.household : null;
  var statusBox = document.getElementById("phone-status");

  // --- small helpers -----------------------------------------------------------------
  function arabic(text) {
    return String(text || "").replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
  }

  function satangOf(text) {
    var s = arabic(text).replace(/บาท|฿|\s/g, "");
    if (/\.-$/.test(s)) s = s.slice(0, -2);
    if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(s)) return NaN;
    var parts = s.replace(/,/g, "").split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }

  function baht(satang) {
    var s = Math.abs(satang);
    var whole = Math.floor(s / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (satang < 0 ? "-" : "") + whole + "." + String(s % 100).padStart(2, "0");
  }

  // "Today" is the server's day (Thailand's), never the phone's: a phone whose clock or
  // time zone is wrong would otherwise refuse today's lines as "in the future". The page
  // carries the server's clock; the difference to the phone's clock is kept, so a page
  // left open past midnight moves on to the next day with the server.
  var serverNow = host.dataset.serverNow ? parseInt(host.dataset.serverNow, 10) : NaN;
  var clockSkew = isNaN(serverNow) ? 0 : serverNow - Date.now();
  var utcOffsetMin = host.dataset.utcOffset ? parseInt(host.dataset.utcOffset, 10) : 420;

  function isoToday() {
    if (isNaN(serverNow)) return host.dataset.today || "";
    var d = new Date(Date.now() + clockSkew + utcOffsetMin * 60000);
    return d.getUTCFullYear() + "-" + String(d.getUTCMonth() + 1).padStart(2, "0") + "-" + String(d.getUTCDate()).padStart(2, "0");
  }

  // The date field holds dd/mm/yyyy in Buddhist Era (chumchon/js/bedate.js); the queue
  // keeps ISO dates, which the server reads too.
  var BEDate = window.ChumchonBEDate;

  function isoOfInput(text) {
    if (!BEDate) return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { iso: text } : { error: t.needDate };
    var p = BEDate.parse(text);
    if (p.empty) return { error: t.needDate };
    if (p.error) return { error: BEDate.message(p.error) };
    return { iso: BEDate.iso(p) };
  }

  function inputOfIso(iso) {
    var p = String(iso || "").split("-");
    if (!BEDate || p.length !== 3) return iso || "";
    return BEDate.format({ y: parseInt(p[0], 10), m: parseInt(p[1], 10), d: parseInt(p[2], 10) });
  }

  function beDate(iso) {
    var p = String(iso || "").split("-");
    if (p.length !== 3 || !months.length) return iso || "";
    return parseInt(p[2], 10) + " " + months[parseInt(p[1], 10) - 1] + " " + (parseInt(p[0], 10) + 543);
  }

  function fill(text, n) { return String(text || "").replace("%(n)s", String(n)); }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    // randomUUID needs https; an office server on plain http still has getRandomValues.
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- the queue: localStorage, one key per user and household ----------------------
  var storageOk = (function () {
    try {
      localStorage.setItem(PREFIX + "probe", "1");
      localStorage.removeItem(PREFIX + "probe");
      return true;
    } catch (e) { return false; }
  })();
  var memory = {}; // only when the browser refuses storage (private mode, full)

  function storeKey(hh) { return PREFIX + "u" + user + ".h" + hh; }

  function load(hh) {
    if (!storageOk) return (memory[hh] || []).slice();
    try {
      var lines = JSON.parse(localStorage.getItem(storeKey(hh)) || "[]");
      return Array.isArray(lines) ? lines : [];
    } catch (e) { return []; }
  }

  function store(hh, lines) {
    if (storageOk) {
      try {
        if (lines.length) localStorage.setItem(storeKey(hh), JSON.stringify(lines));
        else localStorage.removeItem(storeKey(hh));
        return true;
      } catch (e) { storageOk = false; }
    }
    memory[hh] = lines.slice();
    return false;
  }

  function queuedHouseholds() {
    var out = [];
    if (!storageOk) return Object.keys(memory).filter(function (hh) { return memory[hh].length; });
    var prefix = PREFIX + "u" + user + ".h";
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) out.push(key.slice(prefix.length));
    }
    return out;
  }

  function sendable(hh) { return load(hh).filter(function (l) { return !l.error; }); }

  // --- status line ----------------------------------------------------------------------
  var lastState = null;

  function waitingCount() {
    return (household ? [household] : queuedHouseholds()).reduce(function (n, hh) { return n + load(hh).length; }, 0);
  }

  function showStatus(state) {
    if (state) lastState = state;
    if (!statusBox) return;
    var n = waitingCount();
    var text = "";
    var cls = "";
    var link = null;
    if (!storageOk) { text = t.noStorage; cls = "warn"; }
    if (lastState === "login") { text = t.login; cls = "error"; link = loginUrl; }
    else if (lastState === "reload") { text = t.reload; cls = "error"; link = location.href; }
    else if (navigator.onLine === false || lastState === "offline") {
      text = t.offline + (n ? " " + fill(t.nWaiting, n) : "");
      cls = "offline";
    } else if (lastState === "sending") { text = t.sending; cls = "sending"; }
    else if (lastState === "failed") { text = t.failed + (n ? " " + fill(t.nWaiting, n) : ""); cls = "warn"; }
    else if (n) { text = fill(t.nWaiting, n); cls = "warn"; }
    else if (lastState === "ok") { text = t.allSent; cls = "ok"; }
    statusBox.hidden = !text;
    statusBox.className = "phone-status " + cls;
    statusBox.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = " ↻";
      a.className = "phone-status-link";
      statusBox.appendChild(a);
    }
  }

  // --- sending --------------------------------------------------------------------------
  var inflight = {};

  function urlFor(hh) { return page ? linesUrl : linesUrl.replace(/\/0\/lines$/, "/" + hh + "/lines"); }

  function send(hh) {
    var lines = sendable(hh);
    if (inflight[hh] || !lines.length) return Promise.resolve(null);
    inflight[hh] = true;
    showStatus("sending");
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    var body = JSON.stringify({
      lines: lines.map(function (l) { return { key: l.key, date: l.date, category: l.category, amount: l.amount, item: l.item }; })
    });
    return fetch(urlFor(hh), {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: body,
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected && loginUrl && response.url.indexOf(loginUrl.split("?")[0]) >= 0) throw { state: "login" };
      if (response.status === 403) throw { state: "reload" }; // a stale CSRF token: the page is old
      if (type.indexOf("application/json") < 0 || !response.ok) {
        if (response.status === 404) {
          // The household is no longer this user's to enter: say so on every line.
          var gone = load(hh).map(function (l) { l.error = l.error || t.gone; return l; });
          store(hh, gone);
        }
        throw { state: "failed" };
      }
      return response.json();
    }).then(function (data) {
      var saved = {};
      (data.saved || []).forEach(function (k) { saved[k] = true; });
      var errors = data.errors || {};
      // Read the queue again: lines may have been added while this request was out.
      var keep = load(hh).filter(function (l) { return !saved[l.key]; }).map(function (l) {
        if (errors[l.key]) l.error = errors[l.key];
        return l;
      });
      store(hh, keep);
      return { state: "ok", saved: Object.keys(saved).length };
    }).catch(function (err) {
      return { state: (err && err.state) || (navigator.onLine === false ? "offline" : "failed") };
    }).then(function (result) {
      if (timer) window.clearTimeout(timer);
      inflight[hh] = false;
      showStatus(result.state);
      return result;
    });
  }

  function sendAll() {
    var targets = household ? [household] : queuedHouseholds();
    return Promise.all(targets.map(function (hh) {
      return send(hh).then(function (result) {
        if (result && result.state === "ok") afterSend(hh, result);
        return result;
      });
    }));
  }

  function afterSend(hh, result) {
    if (page) {
      renderWaiting();
      if (result.saved) refreshMonth();
    } else {
      markList();
    }
  }

  // --- the household page ----------------------------------------------------------------
  function refreshMonth() {
    var box = document.getElementById("phone-month");
    if (!box || !page.dataset.monthUrl) return;
    fetch(page.dataset.monthUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || type.indexOf("text/html") < 0) return null;
      return response.text();
    }).then(function (html) {
      if (html) { box.innerHTML = html; renderWithWaiting(); }
    }).catch(function () { /* shown again on the next send */ });
  }

  function lineItem(line) {
    var c = byCode[line.category];
    var kind = c ? c.kind : "expense";
    var li = document.createElement("li");
    li.className = "pending" + (line.error ? " has-error" : "");
    li.dataset.key = line.key;
    function span(cls, text) {
      var s = document.createElement("span");
      s.className = cls;
      s.textContent = text;
      li.appendChild(s);
      return s;
    }
    span("pl-date", beDate(line.date));
    span("pl-cat", c ? c.th : line.category);
    var s = satangOf(line.amount);
    span("pl-amount kind-" + kind, (kind === "income" ? "+" : "−") + (isNaN(s) ? line.amount : baht(s)));
    if (line.item) span("pl-item", line.item);
    if (line.error) span("pl-error", line.error);
    else span("pl-state badge warn", t.waiting);
    var actions = document.createElement("span");
    actions.className = "pl-actions";
    function button(action, label, cls) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = cls || "secondary";
      b.dataset.action = action;
      b.textContent = label;
      actions.appendChild(b);
    }
    if (line.error) {
      button("edit", t.edit);
      button("retry", t.retry);
    }
    button("delete", t["delete"], "link danger");
    li.appendChild(actions);
    return li;
  }

  function renderWaiting() {
    var card = document.getElementById("phone-waiting-card");
    var ul = document.getElementById("phone-waiting");
    if (!card || !ul) return;
    var lines = load(household);
    ul.innerHTML = "";
    lines.forEach(function (line) { ul.appendChild(lineItem(line)); });
    card.hidden = !lines.length;
    var sendButton = document.getElementById("phone-send");
    if (sendButton) sendButton.hidden = !lines.some(function (l) { return !l.error; });
    renderWithWaiting();
    showStatus();
  }

  function renderWithWaiting() {
    var month = document.querySelector(".phone-month");
    var note = document.querySelector(".phone-with-waiting");
    if (!month || !note) return;
    var iso = month.dataset.month;
    var income = 0;
    var expense = 0;
    var n = 0;
    load(household).forEach(function (l) {
      var s = satangOf(l.amount);
      var c = byCode[l.category];
      if (l.error || !c || isNaN(s) || String(l.date).slice(0, 7) !== iso) return;
      n += 1;
      if (c.kind === "income") income += s; else expense += s;
    });
    note.hidden = !n;
    if (!n) return;
    income += parseInt(month.dataset.income || "0", 10);
    expense += parseInt(month.dataset.expense || "0", 10);
    note.textContent = t.withWaiting + " (" + n + "): " + t.income + " " + baht(income) + " · " +
      t.expense + " " + baht(expense) + " · " + t.net + " " + baht(income - expense);
  }

  function setupForm() {
    var form = document.getElementById("phone-form");
    if (!form) return;
    var date = document.getElementById("ph-date");
    var dateBE = document.getElementById("ph-date-be");
    var other = document.getElementById("ph-other");
    var amount = document.getElementById("ph-amount");
    var item = document.getElementById("ph-item");
    var error = document.getElementById("ph-error");
    var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=category]"));

    function showDate() {
      var parsed = isoOfInput(date.value);
      if (dateBE) dateBE.textContent = parsed.iso ? beDate(parsed.iso) : "";
    }
    date.addEventListener("change", showDate);
    date.addEventListener("input", showDate);
    showDate();
    other.addEventListener("change", function () { if (other.value) radios.forEach(function (r) { r.checked = false; }); });
    radios.forEach(function (r) { r.addEventListener("change", function () { if (r.checked) other.value = ""; }); });

    function fail(message, field) {
      error.textContent = message;
      error.hidden = false;
      if (field) field.focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      var checked = radios.filter(function (r) { return r.checked; })[0];
      var category = checked ? checked.value : other.value;
      var s = satangOf(amount.value);
      var parsed = isoOfInput(date.value);
      var today = isoToday();
      // Every problem at once, each in its own words: a wrong date must not hide a
      // missing amount, nor the other way round.
      var problems = [];
      var first = null;
      function problem(message, field) { problems.push(message); if (!first) first = field; }
      if (parsed.error) problem(parsed.error, date);
      else if (today && parsed.iso > today) problem(String(t.future || "").replace("%(date)s", beDate(parsed.iso)).replace("%(today)s", beDate(today)), date);
      if (!category) problem(t.needCategory, radios[0] || other);
      if (isNaN(s) || s <= 0) problem(t.needAmount, amount);
      if (problems.length) return fail(problems.join(" "), first);
      var line = {
        key: newKey(),
        date: parsed.iso,
        category: category,
        amount: arabic(amount.value).replace(/\s/g, ""),
        item: item.value.trim().slice(0, 200),
        added: Date.now()
      };
      var queue = load(household);
      queue.push(line);
      store(household, queue); // kept before anything else happens
      amount.value = "";
      item.value = "";
      radios.forEach(function (r) { r.checked = false; });
      other.value = "";
      amount.blur();
      renderWaiting();
      showStatus(navigator.onLine === false ? "offline" : null);
      sendAll();
    });

    document.getElementById("phone-waiting").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) return;
      var key = button.closest("li").dataset.key;
      var queue = load(household);
      var line = queue.filter(function (l) { return l.key === key; })[0];
      if (!line) { renderWaiting(); return; }
      var action = button.dataset.action;
      if (action === "delete") {
        if (!window.confirm(t.confirmDelete)) return;
        store(household, queue.filter(function (l) { return l.key !== key; }));
        renderWaiting();
      } else if (action === "retry") {
        delete line.error;
        store(household, queue);
        renderWaiting();
        sendAll();
      } else if (action === "edit") {
        // Refused by the server, so never saved: back into the form, out of the queue.
        store(household, queue.filter(function (l) { return l.key !== key; }));
        date.value = inputOfIso(line.date);
        showDate();
        var radio = radios.filter(function (r) { return r.value === line.category; })[0];
        radios.forEach(function (r) { r.checked = r === radio; });
        other.value = radio ? "" : line.category;
        amount.value = line.amount;
        item.value = line.item || "";
        fail(line.error);
        renderWaiting();
        form.scrollIntoView({ block: "start" });
        amount.focus();
      }
    });

    var sendButton = document.getElementById("phone-send");
    if (sendButton) sendButton.addEventListener("click", function () { sendAll(); });
  }

  // --- the household list page ----------------------------------------------------------
  function markList() {
    var households = queuedHouseholds();
    Array.prototype.forEach.call(document.querySelectorAll("a[data-household]"), function (a) {
      var badge = a.querySelector(".ph-waiting");
      if (!badge) return;
      var n = households.indexOf(a.dataset.household) >= 0 ? load(a.dataset.household).length : 0;
      badge.hidden = !n;
      badge.textContent = n ? fill(t.nWaiting, n) : "";
    });
    showStatus();
    if (statusBox && households.length && lastState !== "sending") {
      statusBox.hidden = false;
      statusBox.textContent = fill(t.householdsWaiting, households.length) + " " + statusBox.textContent;
    }
  }

  // --- start ------------------------------------------------------------------------------
  if (page) {
    setupForm();
    renderWaiting();
  } else {
    markList();
    document.body.addEventListener("htmx:afterSwap", markList);
  }
  window.addEventListener("online", function () { lastState = null; showStatus(); sendAll(); });
  window.addEventListener("offline", function () { showStatus("offline"); });
  window.addEventListener("storage", function (event) {
    if (event.key && event.key.indexOf(PREFIX) === 0) { if (page) renderWaiting(); else markList(); }
  });
  window.setInterval(function () {
    if (navigator.onLine === false) return;
    var any = (household ? [household] : queuedHouseholds()).some(function (hh) { return sendable(hh).length; });
    if (any) sendAll();
  }, RETRY_MS);
  showStatus(navigator.onLine === false ? "offline" : null);
  sendAll();
})();
