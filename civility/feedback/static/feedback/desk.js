/* Assistance desk: an EventSource fed by PostgreSQL LISTEN/NOTIFY. Each event refreshes the
 * list of open calls (the server's list is the truth, so a missed event costs nothing) and
 * a raised call rings. The browser reconnects by itself when the stream ends; every
 * (re)connection re-reads the list (the server answers only once it listens), and a waiting
 * call found there that never rang here (raised while reconnecting) rings then. A call
 * escalated to this user (the ladder: team lead, then unit head) rings too. */
(function () {
  "use strict";
  const root = document.getElementById("desk");
  if (!root || !root.dataset.stream || !window.EventSource) return;
  const banner = document.getElementById("alert-banner");
  const me = Number(root.dataset.user);
  let audio = null;
  // Calls that already rang (or were on screen when the page loaded).
  const rung = new Set(Array.from(document.querySelectorAll("#calls [data-call]"), (li) => li.dataset.call));

  function announce(template, name) {
    banner.textContent = template.replace("__counter__", name);
    banner.hidden = false;
  }

  function ring() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      for (const [at, hz] of [[0, 880], [0.25, 660], [0.5, 880]]) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.25, audio.currentTime + at);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.22);
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + 0.23);
      }
    } catch (e) { /* no sound device */ }
  }

  // One refresh at a time, and one more after it when an event came in meanwhile: an event
  // arriving while the first list is still loading must not be lost.
  let loading = false;
  let again = false;
  function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(root.dataset.refresh, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const calls = document.getElementById("calls");
        if (!calls) return;
        calls.outerHTML = html;
        if (window.htmx) htmx.process(document.getElementById("calls"));
        for (const li of document.querySelectorAll("#calls .call:not(.acknowledged)")) {
          if (rung.has(li.dataset.call)) continue;
          rung.add(li.dataset.call);
          announce(banner.dataset.template, li.querySelector("strong").textContent);
          ring();
        }
      })
      .catch(() => { /* the next event or reconnect refreshes again */ })
      .finally(() => {
        loading = false;
        if (again) { again = false; refresh(); }
      });
  }

  const source = new EventSource(root.dataset.stream);
  source.addEventListener("raised", (event) => {
    const data = JSON.parse(event.data);
    announce(banner.dataset.template, data.name);
    root.dataset.lastEvent = String(data.call);
    rung.add(String(data.call));
    ring();
    refresh();
  });
  source.addEventListener("escalated", (event) => {
    const data = JSON.parse(event.data);
    if ((data.to || []).includes(me)) {
      announce(banner.dataset.escalated, data.name);
      root.dataset.lastEscalation = `${data.call}:${data.step}`;
      ring();
    }
    refresh();
  });
  for (const name of ["acknowledged", "resolved"]) source.addEventListener(name, refresh);
  source.addEventListener("open", () => { root.dataset.connected = "true"; refresh(); });
  document.getElementById("enable-sound")?.addEventListener("click", () => { ring(); });
})();
