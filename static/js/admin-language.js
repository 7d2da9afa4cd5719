// The back office's language switch submits itself when a language is chosen
// (no inline handler: the Content Security Policy forbids inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("admin-language");
  if (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  }
});
