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

  function refresh() {
    if (window.htmx) htmx.ajax("GET", root.dataset.refresh, { target: "#calls", swap: "outerHTML" });
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
