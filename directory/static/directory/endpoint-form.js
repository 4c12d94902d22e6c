// The endpoint form shows the fields of the chosen kind only (FIT-Connect: destination ID;
// OSCI/XTA and REST: the certificate). Without JavaScript every field is shown with its hint.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.endpoint-form");
  if (!form) return;
  var radios = form.querySelectorAll("input[name=kind]");
  var groups = form.querySelectorAll("[data-kinds]");
  function update() {
    var chosen = form.querySelector("input[name=kind]:checked");
    groups.forEach(function (group) {
      var kinds = group.getAttribute("data-kinds").split(" ");
      // Nothing chosen yet, or a field with an error: keep it visible.
      group.hidden = !!chosen && kinds.indexOf(chosen.value) < 0 && !group.querySelector("[aria-invalid=true]");
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
});
