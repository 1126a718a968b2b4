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
