/* The public report form's map, drawn with Leaflet (npm, served from our static files) and
 * loaded only when the deployment names its own tile server (MAP_TILE_URL). The point lives in
 * the typed latitude/longitude fields, which stay the fallback without JavaScript: the marker
 * follows their "input" events, and a tap on the map (or Enter, at the map's centre) asks
 * civility.js for a new point with a "civility:point" event, which fills them. */
(function () {
  "use strict";
  if (!window.L) return;
  const POINT_ZOOM = 17; // a street and its houses
  const PROVINCE_ZOOM = 10;

  function pointOf(box) {
    const lat = parseFloat(box.querySelector("[data-lat]").value);
    const lon = parseFloat(box.querySelector("[data-lon]").value);
    const valid = Math.abs(lat) <= 90 && Math.abs(lon) <= 180; // false for NaN too
    return valid ? L.latLng(lat, lon) : null;
  }

  // Leaflet shows attribution as HTML; the setting is plain text.
  function asHtml(text) {
    const holder = document.createElement("span");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function setUp(element) {
    const box = element.closest("[data-location]");
    const keys = document.getElementById(element.getAttribute("aria-describedby"));
    let map = null;
    let marker = null;

    function show(centre, zoom) {
      element.hidden = false;
      if (keys) keys.hidden = false;
      if (map) return map.setView(centre, zoom);
      // Leaflet's own zoom and attribution controls, with translated titles and without its
      // link to leafletjs.com: the page links only to hosts the deployment chose.
      map = L.map(element, { zoomControl: false, attributionControl: false });
      map.setView(centre, zoom);
      L.control
        .zoom({ zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut })
        .addTo(map);
      const attribution = element.dataset.attribution;
      if (attribution) L.control.attribution({ prefix: false }).addTo(map);
      L.tileLayer(element.dataset.tileUrl, { attribution: asHtml(attribution) }).addTo(map);
      map.on("click", (event) => ask(event.latlng));
      element.addEventListener("keydown", (event) => {
        // Not on the zoom buttons inside the map, whose Enter is their own.
        if (event.key === "Enter" && event.target === element) ask(map.getCenter());
      });
    }

    function ask(latlng) {
      const detail = { lat: latlng.lat, lon: latlng.wrap().lng, message: element.dataset.moved };
      element.dispatchEvent(new CustomEvent("civility:point", { bubbles: true, detail }));
    }

    function follow() {
      const point = pointOf(box);
      if (!point) return;
      // A new point zooms in to it from the province view or when it is out of sight; a tap
      // nearby only moves the marker, keeping the zoom the person chose.
      if (!map || map.getZoom() < POINT_ZOOM - 2 || !map.getBounds().contains(point)) {
        show(point, POINT_ZOOM);
      }
      if (marker) marker.setLatLng(point);
      else {
        const icon = L.divIcon({ className: "map-marker", iconSize: [20, 20] });
        marker = L.marker(point, { icon, interactive: false, keyboard: false }).addTo(map);
      }
    }

    box.addEventListener("input", (event) => {
      if (event.target.matches("[data-lat], [data-lon]")) follow();
    });
    if (pointOf(box)) follow();
    else if (element.dataset.centre) {
      show(element.dataset.centre.split(",").map(Number), PROVINCE_ZOOM);
    }
  }

  for (const element of document.querySelectorAll("[data-tile-url]")) setUp(element);
})();
