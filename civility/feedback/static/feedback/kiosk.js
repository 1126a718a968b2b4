/* Counter kiosk: rate in two taps, keep unsent ratings through network or server outages.
 *
 * Every rating gets an id here (the server stores each id once), goes into a queue kept in
 * localStorage, and leaves the queue only when the server has answered for it. The queue is
 * sent on every rating, when the browser says it is back online, and every 10 seconds. */
(function () {
  "use strict";
  const KEY = "civility.kiosk.key";
  const QUEUE = "civility.kiosk.queue";
  const CONFIG = "civility.kiosk.config";
  const RESET_MS = 20000;
  const THANKS_MS = 2500;
  const body = document.body;
  const api = body.dataset.api.replace(/\/$/, "");
  let config = null;
  let current = null; // the rating being composed
  let timer = null;
  let flushing = false;
  let awaiting = null; // the client id whose follow-up receipt the thanks screen waits for
  const CONTACT_MS = 30000;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function key() {
    const match = location.hash.match(/key=(cvk_[\w-]+)/);
    if (match) {
      localStorage.setItem(KEY, match[1]);
      history.replaceState(null, "", location.pathname); // the secret leaves the address bar
    }
    return localStorage.getItem(KEY);
  }

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); showQueue(); }

  function showQueue() {
    const state = document.getElementById("queue-state");
    const pending = queue().length;
    state.textContent = pending ? `${pending} ${state.dataset.pending}` : (navigator.onLine ? "" : state.dataset.offline);
    body.dataset.pending = String(pending);
  }

  function request(method, path, data) {
    return fetch(api + path, {
      method,
      headers: { "Authorization": "Bearer " + key(), "Content-Type": "application/json" },
      body: data === undefined ? undefined : JSON.stringify(data),
      cache: "no-store",
    });
  }

  async function flush() {
    if (flushing) return;
    const items = queue();
    if (!items.length || !key()) return;
    flushing = true;
    try {
      const batch = items.slice(0, 500);
      const response = batch.length === 1
        ? await request("POST", "/ratings", batch[0])
        : await request("POST", "/ratings/batch", { ratings: batch });
      let done = [];
      if (response.ok) {
        done = batch.map((item) => item.client_id);
        const data = await response.json().catch(() => null);
        const results = data ? (data.results || [data]) : [];
        for (const result of results) {
          if (result.client_id === awaiting && result.case_receipt) showReceipt(result.case_receipt, result.case_secret);
        }
      } else if (response.status === 422 && batch.length === 1) {
        done = [batch[0].client_id]; // refused for good: keeping it would block the queue
      } else if (response.status === 422) {
        // One bad item in a batch: send them one by one next time.
        for (const item of batch) {
          const single = await request("POST", "/ratings", item);
          if (single.ok || single.status === 422) done.push(item.client_id);
        }
      } // 401, 429, 5xx: keep everything and try again later
      const sent = new Set(done);
      saveQueue(queue().filter((item) => !sent.has(item.client_id)));
    } catch (e) {
      // offline or the server is down: the ratings stay queued
    } finally {
      flushing = false;
      showQueue();
    }
  }

  function show(id) {
    for (const section of document.querySelectorAll("main > section")) section.hidden = section.id !== id;
  }

  function showReceipt(code, secret) {
    const box = document.getElementById("case-receipt");
    box.querySelector("strong").textContent = code;
    box.hidden = false;
    const secretBox = document.getElementById("case-secret");
    secretBox.querySelector("strong").textContent = secret || "";
    secretBox.hidden = !secret;
  }

  function contactFields() {
    return ["name", "phone", "email"].map((name) => document.getElementById("contact-" + name));
  }

  function reset() {
    clearTimeout(timer);
    current = null;
    awaiting = null;
    document.getElementById("comment").value = "";
    for (const input of contactFields()) input.value = "";
    document.getElementById("contact").hidden = true;
    document.getElementById("case-note").hidden = true;
    document.getElementById("case-receipt").hidden = true;
    document.getElementById("case-secret").hidden = true;
    document.getElementById("case-secret").querySelector("strong").textContent = "";
    for (const box of document.querySelectorAll("#reasons input")) box.checked = false;
    show("rate");
  }

  function submit(event) {
    if (!current) return;
    const byTimer = !event; // the citizen walked away: send what there is
    current.reasons = Array.from(document.querySelectorAll("#reasons input:checked"), (box) => box.value);
    current.comment = document.getElementById("comment").value.trim();
    const [name, phone, email] = contactFields().map((input) => input.value.trim());
    let withContact = !document.getElementById("contact").hidden && Boolean(phone || email);
    const invalid = contactFields().find((input) => !input.checkValidity());
    if (withContact && invalid) {
      // The server would refuse the whole rating: ask for a fix, or (walked away) send the
      // rating without the contact details rather than lose it.
      if (!byTimer) { invalid.reportValidity(); return; }
      withContact = false;
    }
    if (withContact) {
      // Only a dissatisfied citizen's, and only to open a follow-up case (never stored with
      // the rating); it leaves this tablet's queue as soon as the server has it.
      Object.assign(current, { contact_name: name, contact_phone: phone, contact_email: email });
      awaiting = current.client_id;
    }
    const items = queue();
    items.push(current);
    saveQueue(items);
    current = null;
    clearTimeout(timer);
    document.getElementById("case-note").hidden = !withContact;
    show("thanks");
    timer = setTimeout(reset, withContact ? CONTACT_MS : THANKS_MS);
    flush();
  }

  function choose(level) {
    current = { client_id: uuid4(), level, reasons: [], comment: "", rated_at: new Date().toISOString() };
    const chosen = config.levels.find((item) => item.value === level);
    document.getElementById("contact").hidden = !(chosen && chosen.dissatisfied);
    show("details");
    clearTimeout(timer);
    timer = setTimeout(submit, RESET_MS); // a citizen who walks away still counts, once
  }

  function render() {
    document.getElementById("counter-name").textContent = config.counter_name;
    const levels = document.getElementById("levels");
    levels.replaceChildren();
    for (const level of config.levels) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "kiosk-level level-" + level.value;
      button.dataset.level = level.value;
      button.innerHTML = `<span class="emoji" aria-hidden="true"></span><span class="label"></span>`;
      button.querySelector(".emoji").textContent = level.emoji;
      button.querySelector(".label").textContent = level.label;
      button.addEventListener("click", () => choose(level.value));
      levels.append(button);
    }
    const reasons = document.getElementById("reasons");
    reasons.replaceChildren();
    for (const [value, label] of config.reasons) {
      const wrap = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = value;
      wrap.append(box, " ", label);
      reasons.append(wrap);
    }
    const official = config.officials.find((o) => o.id === config.on_duty_id);
    document.getElementById("on-duty").textContent = official ? official.full_name : "";
    show("rate");
  }

  function listen() {
    if (!config.stream_url || !window.EventSource) return;
    const source = new EventSource(config.stream_url);
    source.addEventListener("acknowledged", () => { document.getElementById("help-ack").hidden = false; });
    source.addEventListener("resolved", () => { if (!document.getElementById("helping").hidden) reset(); });
    // A refused stream (its token expired, or this kiosk was revoked) stays closed: ask for
    // a fresh token; a revoked kiosk gets 401 and shows the set-up screen.
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) setTimeout(relisten, 30000);
    });
  }

  async function relisten() {
    try {
      const response = await request("GET", "");
      if (response.status === 401) { show("setup"); return; }
      if (!response.ok) { setTimeout(relisten, 30000); return; }
      config = await response.json();
      localStorage.setItem(CONFIG, JSON.stringify(config));
      listen();
    } catch (e) { setTimeout(relisten, 30000); }
  }

  async function callHelp() {
    show("helping");
    document.getElementById("help-ack").hidden = true;
    clearTimeout(timer);
    timer = setTimeout(reset, 60000);
    try { await request("POST", "/assistance"); } catch (e) { /* shown anyway; staff see it when back */ }
  }

  async function start() {
    if (!key()) { show("setup"); return; }
    try {
      const response = await request("GET", "");
      if (response.status === 401) { show("setup"); return; }
      config = await response.json();
      localStorage.setItem(CONFIG, JSON.stringify(config));
    } catch (e) {
      config = JSON.parse(localStorage.getItem(CONFIG) || "null"); // offline start
      if (!config) {
        config = { counter_name: "", levels: JSON.parse(body.dataset.levels), reasons: [], officials: [], on_duty_id: null, stream_url: "" };
      }
    }
    render();
    listen();
    showQueue();
    flush();
  }

  document.getElementById("send").addEventListener("click", submit);
  // Typing (a comment, contact details) keeps the rating open: it is sent only when the
  // citizen has stopped for RESET_MS.
  document.getElementById("details").addEventListener("input", () => {
    if (!current) return;
    clearTimeout(timer);
    timer = setTimeout(submit, RESET_MS);
  });
  document.getElementById("help").addEventListener("click", callHelp);
  window.addEventListener("online", flush);
  window.addEventListener("offline", showQueue);
  setInterval(flush, 10000);
  // A heartbeat ("last seen" on the counter's page) that also picks up who is on duty.
  setInterval(async () => {
    try {
      const response = await request("GET", "");
      if (response.ok) {
        config = await response.json();
        localStorage.setItem(CONFIG, JSON.stringify(config));
      }
    } catch (e) { /* offline */ }
  }, 300000);
  start();
})();
