// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// Tree nodes: htmx loads the children once; later clicks only show or hide them.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".tree-toggle");
  if (!toggle) return;
  const list = document.getElementById(toggle.getAttribute("aria-controls"));
  const expanded = toggle.getAttribute("aria-expanded") === "true";
  toggle.setAttribute("aria-expanded", expanded ? "false" : "true");
  if (list) list.hidden = expanded;
});

// Behaviours declared in the markup, because the Content-Security-Policy forbids inline
// handlers (onclick=, onchange=): a filter that applies on change, a field selected on click,
// a form that asks before it is sent (data-confirm holds the question).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  const field = event.target.closest("[data-select-on-click]");
  if (field) field.select();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Every POST form carries a key made when the page is shown, so a double click or a reload
// that re-posts it runs once: the server answers the copy with the first one's answer
// (civility/core/idempotency.py). getRandomValues, unlike randomUUID, also works over plain
// http on an office network.
function addSubmissionKeys(root) {
  for (const form of root.querySelectorAll("form")) {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") continue;
    if (form.querySelector("input[name=_submission]")) continue;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "_submission";
    input.value = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    form.append(input);
  }
}
addSubmissionKeys(document);
document.addEventListener("htmx:load", (event) => addSubmissionKeys(event.target));

// --- Copy buttons (kiosk set-up) ------------------------------------------------------------
// <button data-copy="#field" data-copy-status="#status" data-copied="…" data-selected="…">
// copies the field's value; where the clipboard API is missing or refused (plain http on an
// office network, an old browser) the text is selected instead, for the person to copy.
for (const button of document.querySelectorAll("[data-copy]")) button.hidden = false;
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  const status = document.querySelector(button.dataset.copyStatus || null);
  if (!field) return;
  let copied = false;
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch (error) {
      copied = false;
    }
  }
  if (!copied) {
    field.focus();
    field.select();
  }
  if (status) status.textContent = copied ? button.dataset.copied : button.dataset.selected;
});

// --- "Use my location" (public-place reports) ------------------------------------------------
// A button [data-geolocate] inside a fieldset [data-location] fills its [data-lat] and
// [data-lon] fields from the browser's geolocation; the typed fields stay as the fallback.
// The optional map (feedback/report_map.js, only when the deployment has its own tile server)
// follows the fields' "input" events and asks for a new point with a "civility:point" event.
function setPoint(box, lat, lon, message) {
  for (const [selector, value] of [["[data-lat]", lat], ["[data-lon]", lon]]) {
    const field = box.querySelector(selector);
    field.value = value.toFixed(6);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const status = box.querySelector("[data-geo-status]");
  if (status) status.textContent = message;
  const typed = box.querySelector("details");
  if (typed) typed.open = true; // show the filled fields, to correct them if need be
}

for (const button of document.querySelectorAll("[data-geolocate]")) {
  if ("geolocation" in navigator) button.hidden = false;
}
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-geolocate]");
  if (!button) return;
  const box = button.closest("[data-location]");
  const status = box.querySelector("[data-geo-status]");
  status.textContent = button.dataset.waiting;
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const { latitude, longitude, accuracy } = position.coords;
      const message = button.dataset.found.replace("%(metres)s", Math.round(accuracy));
      setPoint(box, latitude, longitude, message);
    },
    () => {
      status.textContent = button.dataset.failed;
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
});
document.addEventListener("civility:point", (event) => {
  const box = event.target.closest("[data-location]");
  const { lat, lon, message } = event.detail;
  if (box) setPoint(box, lat, lon, message);
});

// --- Pickers of units and people (civility/orgs/pickers.py) --------------------------------
// A select[data-picker] holds only the chosen options; Tom Select makes it a search box that
// asks data-search-url as one types (the server ignores accents, keeps to the person's scope
// and answers at most 50 matches), shows each unit's parent path and each person's unit and
// post, and chooses several without Ctrl (a remove button on each). Run again after htmx swaps.
function initPickers(root) {
  if (!window.TomSelect) return;
  const selects = root.matches("select[data-picker]")
    ? [root]
    : root.querySelectorAll("select[data-picker]");
  for (const select of selects) {
    if (select.tomselect) continue;
    const url = new URL(select.dataset.searchUrl, window.location.href);
    const people = select.dataset.picker === "people";
    const detail = (data) => (people ? [data.post, data.unit].filter(Boolean).join(" · ") : data.path);
    new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      // The server has already matched; keep its order and every answer it sent.
      score: () => () => 1,
      sortField: [{ field: "$order" }],
      maxOptions: 50,
      preload: "focus",
      loadThrottle: 200,
      placeholder: select.dataset.placeholder,
      hidePlaceholder: true,
      plugins: select.multiple
        ? { remove_button: { title: select.dataset.remove } }
        : select.required
          ? {}
          : { clear_button: { title: select.dataset.remove } },
      closeAfterSelect: !select.multiple,
      load(query, callback) {
        url.searchParams.set("q", query);
        // A record's date decides which units it may name (former wards for 2024).
        const dated = select.dataset.asOfField && select.form?.elements[select.dataset.asOfField];
        if (dated) url.searchParams.set("as_of", dated.value);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((answer) => {
            this.clearOptions();
            callback(answer.results);
          })
          .catch(() => callback());
      },
      // Each query asks the server again (Tom Select caches by default).
      shouldLoad: () => true,
      onType() {
        this.loadedSearches = {};
      },
      render: {
        option(data, escape) {
          const more = detail(data);
          return (
            `<div class="picker-option"><div>${escape(data.text)}</div>` +
            (more ? `<small>${escape(more)}</small>` : "") +
            "</div>"
          );
        },
        no_results(_data, escape) {
          return `<div class="no-results">${escape(select.dataset.noResults)}</div>`;
        },
        // A chosen unit keeps its nearest parent, a chosen person their unit: two counters
        // called "Quầy số 1" stay told apart once chosen.
        item(data, escape) {
          const more = people ? data.unit : (data.path || "").split(" › ").pop();
          return (
            `<div title="${escape(detail(data) || data.text)}">${escape(data.text)}` +
            (more ? `<small>&nbsp;· ${escape(more)}</small>` : "") +
            "</div>"
          );
        },
      },
    });
  }
}
initPickers(document.documentElement);
document.addEventListener("htmx:load", (event) => initPickers(event.target));

// Phone-first layout (civility.css, "Phone-first layout"): a table scrolls sideways inside
// its own box instead of widening the page, and a sticky box of the page (the inspection
// checklist's head) leaves room above whatever gets focus or is jumped to.
function wrapTables(root) {
  const tables = [...root.querySelectorAll("main table")];
  if (root.matches && root.matches("main table")) tables.push(root);
  for (const table of tables) {
    if (table.parentElement.closest(".table-wrap")) continue;
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.before(wrap);
    wrap.append(table);
  }
}
function keepFocusClearOfStickyBoxes() {
  let offset = 0;
  for (const box of document.querySelectorAll(".run-head, [data-sticky]")) {
    const style = getComputedStyle(box);
    if (style.position === "sticky" || style.position === "fixed") {
      offset = Math.max(offset, box.getBoundingClientRect().height);
    }
  }
  const padding = offset ? `${Math.ceil(offset) + 8}px` : "0px";
  document.documentElement.style.setProperty("--civ-sticky-offset", padding);
}
// A box that scrolls sideways with nothing focusable inside would be out of a keyboard's
// reach: it takes the focus itself, so the arrow keys scroll it.
const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
function makeScrollBoxesReachable() {
  for (const box of document.querySelectorAll("main .table-wrap")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.querySelector(FOCUSABLE)) box.tabIndex = 0;
    else if (!scrolls && box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
  }
}
function layOut() {
  keepFocusClearOfStickyBoxes();
  makeScrollBoxesReachable();
}
wrapTables(document);
layOut();
document.addEventListener("htmx:load", (event) => {
  if (event.target.closest && event.target.closest("main")) wrapTables(event.target);
  layOut();
});
window.addEventListener("resize", layOut);
