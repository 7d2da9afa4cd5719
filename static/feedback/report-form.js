// The report form: the chosen category's questions only, the phone's position with consent,
// and one submit (a double tap sends once; the server also makes one report of a retried POST).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var category = form.querySelector("[name=category]");
  function showQuestions() {
    var chosen = category.value;
    form.querySelectorAll(".category-question").forEach(function (block) {
      var input = block.querySelector("[data-category]");
      var match = input && input.getAttribute("data-category") === chosen;
      block.hidden = !match;
    });
  }
  if (category) { category.addEventListener("change", showQuestions); showQuestions(); }

  var button = document.getElementById("use-location");
  var consent = form.querySelector("[name=location_consent]");
  var status = document.getElementById("location-status");
  var lat = form.querySelector("[name=lat]");
  var lon = form.querySelector("[name=lon]");
  if (button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (consent && !consent.checked) {
        status.textContent = button.getAttribute("data-consent") || status.getAttribute("data-consent-text") || "";
        consent.focus();
        return;
      }
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        status.textContent = lat.value + ", " + lon.value;
      }, function () { status.textContent = "—"; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
  if (consent) {
    consent.addEventListener("change", function () {
      if (!consent.checked) { lat.value = ""; lon.value = ""; status.textContent = ""; }
    });
  }
  form.addEventListener("submit", function () {
    var send = document.getElementById("send-report");
    window.setTimeout(function () { send.disabled = true; }, 0);
  });
})();
