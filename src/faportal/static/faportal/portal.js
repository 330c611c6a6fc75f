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

  // --- Disclosure buttons: <button aria-expanded data-toggles="id"> shows and hides the element with that id.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-toggles]");
    if (!button) return;
    const target = document.getElementById(button.dataset.toggles);
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (target) target.hidden = !open;
  });

  // --- Confirmations for destructive buttons: <button data-confirm="Text">. --------------------------------
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

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
