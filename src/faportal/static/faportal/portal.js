// FA-portalen: small enhancements. Everything works without JavaScript; this adds the session-timeout warning,
// focus handling after htmx swaps, and confirmations.
(function () {
  "use strict";

  // --- Session timeout warning (SPEC S1): warn before the idle timeout signs the person out. ------------------
  const body = document.body;
  const timeout = Number(body.dataset.sessionTimeout || 0);
  const warning = Number(body.dataset.sessionWarning || 120);
  const statusUrl = body.dataset.sessionStatusUrl;
  const loginUrl = body.dataset.sessionLoginUrl;
  const dialog = document.getElementById("session-warning");
  let timer = null;
  let countdown = null;

  function formatSeconds(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`;
  }

  function schedule(secondsLeft) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1, secondsLeft - warning) * 1000);
  }

  async function check() {
    let left = 0;
    try {
      const response = await fetch(statusUrl, { headers: { "X-Background": "1" }, credentials: "same-origin" });
      if (!response.ok) { window.location.href = loginUrl; return; }
      left = (await response.json()).seconds_left;
    } catch (e) {
      schedule(warning + 30);
      return;
    }
    if (left <= 0) { window.location.href = loginUrl; return; }
    if (left > warning + 1) { schedule(left); return; }
    showWarning(left);
  }

  function showWarning(left) {
    if (!dialog) return;
    const target = dialog.querySelector("[data-session-countdown]");
    let remaining = Math.floor(left);
    const tick = () => {
      if (target) target.textContent = formatSeconds(Math.max(0, remaining));
      if (remaining <= 0) {
        // The server decides: another tab may have kept the session alive.
        clearInterval(countdown);
        dialog.close();
        check();
        return;
      }
      remaining -= 1;
    };
    tick();
    clearInterval(countdown);
    countdown = setInterval(tick, 1000);
    if (!dialog.open) dialog.showModal();
  }

  if (timeout > 0 && statusUrl && dialog) {
    schedule(timeout);
    const extend = dialog.querySelector("[data-session-extend]");
    extend.addEventListener("submit", async (event) => {
      event.preventDefault();
      const response = await fetch(extend.action, { method: "POST", body: new FormData(extend), credentials: "same-origin" });
      clearInterval(countdown);
      dialog.close();
      if (!response.ok) { window.location.href = loginUrl; return; }
      schedule((await response.json()).seconds_left);
    });
    // Any htmx request the user makes counts as activity on the server; restart the local timer too.
    // A draft saved as one types (documents) is activity too.
    document.addEventListener("faportal:activity", () => schedule(timeout));
    document.addEventListener("htmx:afterRequest", (event) => {
      const headers = (event.detail.requestConfig && event.detail.requestConfig.headers) || {};
      if (headers["X-Background"] !== "1") schedule(timeout);
    });
  }

  // --- A page restored from the back-forward cache is reloaded, so the server decides what it shows (after
  // signing out: the login page, never the staff list that was on the screen).
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });

  // --- Search boxes inside a form (the address picker): Enter searches at once instead of sending the form.
  document.addEventListener("keydown", (event) => {
    const box = event.target.closest && event.target.closest("[data-search-on-enter]");
    if (!box || event.key !== "Enter") return;
    event.preventDefault();
    if (window.htmx) window.htmx.trigger(box, "search-now");
  });

  // --- Disclosure buttons: <button aria-expanded data-toggles="id"> shows and hides the element with that id.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-toggles]");
    if (!button) return;
    const target = document.getElementById(button.dataset.toggles);
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (target) target.hidden = !open;
  });

  // --- Confirmations for destructive buttons: <button data-confirm="Question?" data-confirm-yes="Remove"> asks in
  // the design system's dialog (#confirm-dialog in base.html); the button does its work once the person agrees.
  // Without JavaScript the button simply works.
  const confirmDialog = document.getElementById("confirm-dialog");
  let confirming = null;
  if (confirmDialog) {
    const title = confirmDialog.querySelector("#confirm-dialog-title");
    const accept = confirmDialog.querySelector("[data-confirm-accept]");
    const acceptLabel = accept.textContent;
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-confirm]");
      if (!button || button.dataset.confirmed === "yes") return;
      event.preventDefault();
      confirming = button;
      title.textContent = button.dataset.confirm;
      accept.textContent = button.dataset.confirmYes || acceptLabel;
      confirmDialog.showModal();
    });
    accept.addEventListener("click", () => {
      const button = confirming;
      confirming = null;
      confirmDialog.close();
      if (!button) return;
      button.dataset.confirmed = "yes";
      button.click();
      delete button.dataset.confirmed;
    });
    confirmDialog.querySelector("[data-confirm-cancel]").addEventListener("click", () => confirmDialog.close());
    confirmDialog.addEventListener("close", () => { confirming = null; });
  }

  // --- A swapped-in panel takes the focus its old content had (the button pressed is gone after an outerHTML
  // swap), on its message: [data-focus-after-swap], else [data-focus-after-swap-fallback]. Polls that only
  // refresh part of a panel (a QR frame) leave focus alone because the focused element is still there.
  document.addEventListener("htmx:afterSwap", (event) => {
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    const target = event.detail.target;
    const panel = target && target.id ? document.getElementById(target.id) : null;
    if (!panel) return;
    const focus = panel.querySelector("[data-focus-after-swap]") || panel.querySelector("[data-focus-after-swap-fallback]");
    if (focus) focus.focus();
  });

  // --- Error summaries get focus so keyboard and screen-reader users hear them first. ---------------------
  function focusErrorSummary(root) {
    const summary = (root || document).querySelector(".ds-error-summary[tabindex]");
    if (summary) summary.focus();
  }
  document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
  document.addEventListener("htmx:afterSwap", (event) => focusErrorSummary(event.detail.target));

  // --- A list (.fa-table) that has to scroll sideways can be reached and scrolled with the keyboard, named by its
  // caption (WCAG 2.1.1); one that fits is no stop on the way.
  function markScrollingTables(root) {
    (root || document).querySelectorAll(".fa-table").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) {
        const caption = box.querySelector("caption");
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        if (caption) box.setAttribute("aria-label", caption.textContent.trim());
      } else if (box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", () => markScrollingTables(document));
  document.addEventListener("htmx:afterSettle", () => markScrollingTables(document));
  if (window.ResizeObserver) {
    const observer = new ResizeObserver(() => markScrollingTables(document));
    document.addEventListener("DOMContentLoaded", () => observer.observe(document.documentElement));
  }

  // --- "Select all" checkboxes: <input type=checkbox data-select-all="name"> inside [data-select-scope]. ---
  // Ticking it ticks every box of that name in the scope; it shows checked or mixed from the boxes themselves.
  function members(box) {
    const scope = box.closest("[data-select-scope]") || document;
    return Array.from(scope.querySelectorAll(`input[type=checkbox][name="${box.dataset.selectAll}"]`));
  }
  function reflect(box) {
    const boxes = members(box);
    const ticked = boxes.filter((other) => other.checked).length;
    box.checked = boxes.length > 0 && ticked === boxes.length;
    box.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  document.addEventListener("change", (event) => {
    const box = event.target.closest("[data-select-all]");
    if (box) {
      members(box).forEach((other) => { if (!other.disabled) other.checked = box.checked; });
      return;
    }
    const scope = event.target.closest("[data-select-scope]");
    if (scope) scope.querySelectorAll("[data-select-all]").forEach(reflect);
  });
  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-select-all]").forEach(reflect));
})();

// --- Documents (SPEC S5): drafts saved as one types, the monthly report's calendar, character counters, print. ---
(function () {
  "use strict";

  // A draft form: <form data-autosave data-autosave-url> with <input data-autosave-version> and a status line
  // [data-autosave-status]. Saved two seconds after the last keystroke, and when the page is left; a save the
  // server refuses as stale (another tab or a colleague saved meanwhile) stops saving and says so: nothing is
  // overwritten, and what was typed stays on the page.
  const AUTOSAVE_DELAY = 2000;
  document.querySelectorAll("form[data-autosave]").forEach((form) => {
    const url = form.dataset.autosaveUrl;
    const version = form.querySelector("[data-autosave-version]");
    const status = form.querySelector("[data-autosave-status]");
    let timer = null;
    let dirty = false;
    let saving = null;
    let stopped = false;

    function say(text) { if (status) status.textContent = text; }
    function body() {
      const data = new FormData(form);
      data.delete("action");
      // Files are attached by their own button, never sent with a save.
      for (const [name, value] of [...data.entries()]) if (value instanceof File) data.delete(name);
      return data;
    }
    function now() {
      const d = new Date();
      return `${String(d.getHours()).padStart(2, "0")}.${String(d.getMinutes()).padStart(2, "0")}`;
    }
    async function save() {
      clearTimeout(timer);
      if (!dirty || stopped) return;
      if (saving) { await saving; if (!dirty) return; }
      dirty = false;
      say(status.dataset.saving);
      saving = (async () => {
        try {
          const response = await fetch(url, {
            method: "POST", body: body(), credentials: "same-origin",
            headers: { "X-Autosave": "1", "X-Requested-With": "fetch" },
          });
          const type = response.headers.get("Content-Type") || "";
          if (!type.includes("application/json")) { dirty = true; say(status.dataset.signedOut); return; }
          const answer = await response.json();
          if (response.ok) {
            version.value = answer.version;
            say(`${status.dataset.saved} ${answer.saved_at}`);
            document.dispatchEvent(new CustomEvent("faportal:activity"));
          } else {
            stopped = response.status === 409;
            dirty = true;
            say(answer.message);
            if (stopped) status.setAttribute("role", "alert");
          }
        } catch (e) {
          dirty = true;
          say(status.dataset.offline);
          timer = setTimeout(save, 10000);
        }
      })();
      await saving;
      saving = null;
    }
    function changed(event) {
      if (event.target.closest("[data-no-autosave]")) return;
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, AUTOSAVE_DELAY);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // A button that leaves the page (preview, add a row) sends the form, and with it what was typed: a save still
    // waiting for its two seconds is not needed (and would race it); one under way is waited for, so the button sends
    // the latest version.
    form.addEventListener("submit", async (event) => {
      clearTimeout(timer);
      if (!saving) return;
      event.preventDefault();
      const submitter = event.submitter;
      await saving;
      form.requestSubmit(submitter);
    });
    // Leaving the page (closing the tab, following a link): what was typed since the last save goes with it.
    function leaving() {
      if (!dirty || stopped) return;
      const data = body();
      data.append("leaving", "1");
      dirty = !navigator.sendBeacon(url, data);
    }
    window.addEventListener("pagehide", leaving);
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") leaving(); });
  });

  // Parts of a form that apply to some answers only: <div data-show-if="reason:other_known,unknown"> shows while the
  // field "reason" has one of the listed values. Without JavaScript everything shows (the server ignores what does
  // not apply); what a hidden part holds is kept, and sent with the form.
  document.querySelectorAll("form").forEach((form) => {
    const parts = form.querySelectorAll("[data-show-if]");
    if (!parts.length) return;
    const valueOf = (name) => {
      const field = form.elements.namedItem(name);
      if (!field) return "";
      if (field instanceof RadioNodeList) return field.value;
      if (field.type === "checkbox") return field.checked ? field.value : "";
      return field.value;
    };
    const update = () => parts.forEach((part) => {
      const [name, values] = part.dataset.showIf.split(":");
      part.hidden = !values.split(",").includes(valueOf(name));
    });
    form.addEventListener("change", update);
    update();
  });

  // A choice that narrows another: <select data-narrows="id"> shows only the groups <optgroup data-under="value">
  // of the other select under the chosen value (every group while none is chosen).
  document.querySelectorAll("select[data-narrows]").forEach((select) => {
    const target = document.getElementById(select.dataset.narrows);
    if (!target) return;
    const update = () => {
      target.querySelectorAll("optgroup[data-under]").forEach((group) => {
        group.hidden = Boolean(select.value) && group.dataset.under !== select.value;
      });
      const chosen = target.selectedOptions[0];
      if (chosen && chosen.parentElement.hidden) target.value = "";
    };
    select.addEventListener("change", update);
    update();
  });

  // Character counters: <textarea data-counter="2000"> and <p data-counter-for="its id">.
  document.querySelectorAll("[data-counter-for]").forEach((output) => {
    const field = document.getElementById(output.dataset.counterFor);
    if (!field) return;
    const limit = Number(field.dataset.counter);
    const lang = document.documentElement.lang || "sv";
    const update = () => {
      const left = limit - field.value.replace(/\r\n/g, "\n").length;
      output.textContent = lang.startsWith("sv")
        ? (left >= 0 ? `${left} tecken kvar av ${limit}` : `${-left} tecken för mycket (högst ${limit})`)
        : (left >= 0 ? `${left} of ${limit} characters left` : `${-left} characters too many (at most ${limit})`);
      output.classList.toggle("fa-counter--over", left < 0);
    };
    field.addEventListener("input", update);
    update();
  });

  // The monthly report's calendar: the day's total as one types, a day over the limit marked at its total, and the
  // arrow keys between the days (left, right) and the activities (up, down).
  document.querySelectorAll("[data-calendar]").forEach((calendar) => {
    const max = Number(calendar.dataset.max || 8);
    const announce = document.querySelector("[data-calendar-announce]");
    const inputs = Array.from(calendar.querySelectorAll("input.fa-hours"));
    function parse(text) {
      const value = text.trim().replace(/\s/g, "");
      if (!value) return 0;
      let hours;
      if (value.includes(":")) {
        const [h, m] = value.split(":");
        if (!/^\d{1,2}$/.test(h) || !/^\d{2}$/.test(m) || Number(m) >= 60) return NaN;
        hours = Number(h) + Number(m) / 60;
      } else {
        if (!/^\d{1,2}([.,]\d{1,2})?$/.test(value)) return NaN;
        hours = Number(value.replace(",", "."));
      }
      return Math.abs(hours * 4 - Math.round(hours * 4)) < 1e-9 ? hours : NaN;
    }
    function words(hours) { return String(Math.round(hours * 100) / 100).replace(".", ","); }
    function total(day) {
      const cell = calendar.querySelector(`[data-total="${day}"]`);
      if (!cell) return;
      let sum = 0;
      inputs.filter((input) => input.dataset.day === day).forEach((input) => {
        const value = parse(input.value);
        const bad = Number.isNaN(value);
        input.toggleAttribute("aria-invalid", bad || input.hasAttribute("data-server-invalid"));
        if (!bad) sum += value;
      });
      const shown = cell.querySelector("[data-total-value]");
      const error = cell.querySelector("[data-total-error]");
      if (shown) shown.textContent = words(sum);
      const over = sum > max;
      cell.classList.toggle("fa-calendar__total--error", over);
      if (error) {
        const text = over ? calendar.dataset.overWords.replace("{total}", words(sum)).replace("{max}", words(max)) : "";
        if (error.textContent !== text) {
          error.textContent = text;
          if (over && announce) announce.textContent = `${cell.dataset.total}: ${text}`;
        }
      }
    }
    inputs.forEach((input) => { if (input.getAttribute("aria-invalid") === "true") input.setAttribute("data-server-invalid", ""); });
    calendar.addEventListener("input", (event) => {
      if (event.target.matches("input.fa-hours")) {
        event.target.removeAttribute("data-server-invalid");
        total(event.target.dataset.day);
      }
    });
    calendar.addEventListener("focusin", (event) => { if (event.target.matches("input.fa-hours")) event.target.select(); });
    calendar.addEventListener("keydown", (event) => {
      const input = event.target;
      if (!input.matches("input.fa-hours") || event.altKey || event.ctrlKey || event.metaKey) return;
      const row = input.dataset.row;
      const day = input.dataset.day;
      const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
      const atEnd = input.selectionStart === input.value.length;
      const whole = input.selectionStart === 0 && input.selectionEnd === input.value.length;
      let next = null;
      if (event.key === "ArrowRight" && (atEnd || whole)) {
        next = inputs.find((other) => other.dataset.row === row && other.dataset.day > day);
      } else if (event.key === "ArrowLeft" && (atStart || whole)) {
        next = inputs.filter((other) => other.dataset.row === row && other.dataset.day < day).pop();
      } else if (event.key === "ArrowDown" || event.key === "Enter") {
        next = inputs.find((other) => other.dataset.day === day && Number(other.dataset.row) > Number(row));
      } else if (event.key === "ArrowUp") {
        next = inputs.filter((other) => other.dataset.day === day && Number(other.dataset.row) < Number(row)).pop();
      } else {
        return;
      }
      event.preventDefault();
      if (next) next.focus();
    });
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
