/* Assistance desk: an EventSource fed by PostgreSQL LISTEN/NOTIFY. Each event refreshes the
 * list of open calls (the server's list is the truth, so a missed event costs nothing) and
 * a raised call rings. The browser reconnects by itself when the stream ends. */
(function () {
  "use strict";
  const root = document.getElementById("desk");
  if (!root || !root.dataset.stream || !window.EventSource) return;
  const banner = document.getElementById("alert-banner");
  let audio = null;

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
    banner.textContent = banner.dataset.template.replace("__counter__", data.name);
    banner.hidden = false;
    root.dataset.lastEvent = String(data.call);
    ring();
    refresh();
  });
  for (const name of ["acknowledged", "resolved"]) source.addEventListener(name, refresh);
  source.addEventListener("open", () => { root.dataset.connected = "true"; refresh(); });
  document.getElementById("enable-sound")?.addEventListener("click", () => { ring(); });
})();
