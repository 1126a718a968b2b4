// The phone checklist: one criterion at a time; answers and photos are kept on the phone
// (localStorage / IndexedDB) until the server has them, so losing the network loses nothing.
// Every answer carries an id made here; the server stores each id once, so resending is safe.
// Without JavaScript every criterion is a plain form that posts its answer.
(() => {
  "use strict";
  const root = document.getElementById("run");
  if (!root) return;

  const inspection = root.dataset.inspection;
  const answersUrl = root.dataset.answersUrl;
  const photosUrl = root.dataset.photosUrl;
  const csrf = root.dataset.csrf;
  const queueKey = `civility.inspection.${inspection}.answers`;
  const steps = Array.from(root.querySelectorAll(".run-step"));
  const status = document.getElementById("sync-status");
  const counter = document.getElementById("answered-count");
  let flushing = false;
  let photoQueueSize = 0;

  // --- ids -------------------------------------------------------------------------------
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16)); // works on plain http too
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // --- answers queue (localStorage) ------------------------------------------------------
  function loadQueue() {
    try {
      return JSON.parse(localStorage.getItem(queueKey) || "[]");
    } catch (error) {
      return [];
    }
  }
  function saveQueue(queue) {
    localStorage.setItem(queueKey, JSON.stringify(queue));
  }

  function readForm(form) {
    const data = new FormData(form);
    return {
      client_id: uuid4(),
      criterion_id: Number(form.dataset.criterion),
      value: (data.get("value") || "").toString(),
      not_applicable: data.get("not_applicable") === "on",
      note: (data.get("note") || "").toString(),
      answered_at: new Date().toISOString(),
    };
  }

  function applyToForm(answer) {
    const form = root.querySelector(`form.run-answer[data-criterion="${answer.criterion_id}"]`);
    if (!form) return;
    form.querySelectorAll("[name=value]").forEach((input) => {
      if (input.type === "radio") input.checked = input.value === answer.value;
      else input.value = answer.value;
    });
    const na = form.querySelector("[name=not_applicable]");
    if (na) na.checked = answer.not_applicable;
    const note = form.querySelector("[name=note]");
    if (note) note.value = answer.note;
  }

  function markAnswered(criterionId, answered) {
    const step = document.getElementById(`criterion-${criterionId}`);
    const dot = root.querySelector(`[data-dot="${criterionId}"]`);
    if (step) step.classList.toggle("is-answered", answered);
    if (dot) dot.classList.toggle("is-answered", answered);
    counter.textContent = root.querySelectorAll(".run-dot.is-answered").length;
  }

  function showError(criterionId, message) {
    const box = root.querySelector(`form.run-answer[data-criterion="${criterionId}"] .run-error`);
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_m, name) => String(values[name] ?? ""));
  }

  function showStatus() {
    const count = loadQueue().length;
    const values = { count, photos: photoQueueSize };
    if (!count && !photoQueueSize) {
      status.textContent = root.dataset.msgSaved;
      status.classList.remove("is-offline");
    } else if (!navigator.onLine) {
      status.textContent = format(root.dataset.msgOffline, values);
      status.classList.add("is-offline");
    } else {
      status.textContent = format(root.dataset.msgWaiting, values);
      status.classList.remove("is-offline");
    }
  }

  // --- a failed criterion offers a finding; section scores as the server computes them ----
  // The failing answers come from the server (data-failing); the finding form is prefilled
  // with the criterion's text and code provision and is sent only when the inspector accepts.
  function offerFinding(form) {
    const box = root.querySelector(`[data-finding-for="${form.dataset.criterion}"]`);
    if (!box) return;
    const failing = (form.dataset.failing || "").split(" ").filter(Boolean);
    const data = new FormData(form);
    const value = (data.get("value") || "").toString();
    box.hidden = !(data.get("not_applicable") !== "on" && failing.includes(value));
  }

  function showSectionScores(sections) {
    (sections || []).forEach((section) => {
      root.querySelectorAll(`[data-section-score="${section.id}"]`).forEach((cell) => {
        cell.textContent = section.display;
      });
    });
  }

  function record(form) {
    offerFinding(form);
    const answer = readForm(form);
    if (!answer.value && !answer.not_applicable && !answer.note) return;
    // Only the newest unsent answer per criterion needs to travel.
    const queue = loadQueue().filter((item) => item.criterion_id !== answer.criterion_id);
    queue.push(answer);
    saveQueue(queue);
    markAnswered(answer.criterion_id, Boolean(answer.value) || answer.not_applicable);
    showError(answer.criterion_id, "");
    showStatus();
    flush();
  }

  async function flush() {
    if (flushing) return;
    const queue = loadQueue();
    if (!queue.length) {
      showStatus();
      return flushPhotos();
    }
    if (!navigator.onLine) return showStatus();
    flushing = true;
    status.textContent = root.dataset.msgSending;
    try {
      const response = await fetch(answersUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ answers: queue }),
      });
      if (response.ok) {
        const body = await response.json();
        const done = new Set(body.results.map((result) => result.client_id));
        showSectionScores(body.sections);
        body.results
          .filter((result) => result.status === "rejected")
          .forEach((result) => showError(result.criterion_id, result.message));
        // Answers made while this request travelled stay queued.
        saveQueue(loadQueue().filter((item) => !done.has(item.client_id)));
      }
    } catch (error) {
      // Network gone: keep everything, try again when it is back.
    } finally {
      flushing = false;
      showStatus();
    }
    if (loadQueue().length && navigator.onLine) setTimeout(flush, 3000);
    else flushPhotos();
  }

  // --- photos queue (IndexedDB: blobs are too large for localStorage) ----------------------
  const photoStore = "photos";
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("civility-inspections", 1);
      request.onupgradeneeded = () => request.result.createObjectStore(photoStore, { keyPath: "client_id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function photoTx(mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(photoStore, mode);
      const result = work(tx.objectStore(photoStore));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }
  async function queuedPhotos() {
    if (!window.indexedDB) return [];
    const all = await photoTx("readonly", (store) => store.getAll());
    return (all || []).filter((item) => item.inspection === inspection);
  }

  function addThumbnail(criterionId, src) {
    const list = root.querySelector(`[data-photos="${criterionId}"]`);
    if (!list) return;
    const item = document.createElement("li");
    const image = document.createElement("img");
    image.src = src;
    image.width = 96;
    image.alt = "";
    item.append(image);
    list.append(item);
  }

  function photoError(criterionId, message) {
    const box = root.querySelector(`.run-photo-form[data-criterion="${criterionId}"] .run-photo-error`);
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  let photosFlushing = false;
  async function flushPhotos() {
    if (photosFlushing || !window.indexedDB) return;
    photosFlushing = true;
    try {
      const pending = await queuedPhotos();
      photoQueueSize = pending.length;
      for (const item of pending) {
        if (!navigator.onLine) break;
        const data = new FormData();
        data.append("photo", item.blob, item.name);
        data.append("client_id", item.client_id);
        data.append("criterion_id", item.criterion_id);
        let response;
        try {
          response = await fetch(photosUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrf },
            body: data,
          });
        } catch (error) {
          break; // offline again
        }
        if (response.ok) {
          const body = await response.json();
          if (body.created) addThumbnail(item.criterion_id, body.url);
        } else if (response.status >= 400 && response.status < 500) {
          const body = await response.json().catch(() => ({}));
          photoError(item.criterion_id, body.message || "");
        } else {
          break; // server trouble: keep it for later
        }
        await photoTx("readwrite", (store) => store.delete(item.client_id));
        photoQueueSize -= 1;
      }
    } finally {
      photosFlushing = false;
      showStatus();
    }
  }

  async function queuePhoto(form) {
    const input = form.querySelector("input[type=file]");
    const file = input.files && input.files[0];
    if (!file) return;
    const criterionId = form.dataset.criterion;
    photoError(criterionId, "");
    if (!window.indexedDB) return form.submit();
    await photoTx("readwrite", (store) =>
      store.put({ client_id: uuid4(), inspection, criterion_id: criterionId, blob: file, name: file.name }),
    );
    input.value = "";
    photoQueueSize += 1;
    showStatus();
    flushPhotos();
  }

  // --- one criterion at a time -------------------------------------------------------------
  let current = 0;
  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => step.classList.toggle("is-current", i === current));
    root.querySelectorAll(".run-dot").forEach((dot) => dot.classList.remove("is-current"));
    const step = steps[current];
    const dot = root.querySelector(`[data-dot="${step.dataset.criterion}"]`);
    if (dot) dot.classList.add("is-current");
    history.replaceState(null, "", `#${step.id}`);
    if (focus) {
      const heading = step.querySelector("h2");
      if (heading) heading.focus({ preventScroll: true });
      window.scrollTo({ top: 0 });
    }
  }

  function indexOfHash() {
    const index = steps.findIndex((step) => `#${step.id}` === location.hash);
    if (index >= 0) return index;
    const firstOpen = steps.findIndex((step) => step.dataset.criterion && !step.classList.contains("is-answered"));
    return firstOpen >= 0 ? firstOpen : 0;
  }

  root.addEventListener("click", (event) => {
    const next = event.target.closest(".run-next");
    const prev = event.target.closest(".run-prev");
    const dot = event.target.closest(".run-dot");
    if (next || prev) {
      event.preventDefault();
      show(current + (next ? 1 : -1), true);
    } else if (dot) {
      event.preventDefault();
      show(steps.findIndex((step) => step.dataset.criterion === dot.dataset.dot), true);
    }
  });

  root.addEventListener("change", (event) => {
    const answerForm = event.target.closest("form.run-answer");
    if (answerForm) {
      // Choosing an answer clears "not applicable", and the other way round.
      if (event.target.name === "not_applicable" && event.target.checked) {
        answerForm.querySelectorAll("input[name=value][type=radio]").forEach((r) => (r.checked = false));
      } else if (event.target.name === "value") {
        const na = answerForm.querySelector("[name=not_applicable]");
        if (na) na.checked = false;
      }
      record(answerForm);
      return;
    }
    const photoForm = event.target.closest("form.run-photo-form");
    if (photoForm && event.target.type === "file") queuePhoto(photoForm);
  });

  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form.run-finding-form")) return; // a plain post, back to this criterion
    if (form.matches("form.run-answer")) {
      event.preventDefault();
      record(form);
    } else if (form.matches("form.run-photo-form")) {
      event.preventDefault();
      queuePhoto(form);
    }
  });

  // A link to a step (#finish, #criterion-12) shows that step.
  window.addEventListener("hashchange", () => show(indexOfHash(), true));
  window.addEventListener("online", flush);
  window.addEventListener("offline", showStatus);
  setInterval(flush, 15000);

  // Answers still on the phone from an earlier visit come back into the forms.
  loadQueue().forEach((answer) => {
    applyToForm(answer);
    markAnswered(answer.criterion_id, Boolean(answer.value) || answer.not_applicable);
    const form = root.querySelector(`form.run-answer[data-criterion="${answer.criterion_id}"]`);
    if (form) offerFinding(form);
  });
  queuedPhotos()
    .then((pending) => {
      photoQueueSize = pending.length;
      showStatus();
    })
    .catch(() => {});
  show(indexOfHash(), false);
  flush();
})();
