/* The catalogue's filters are a <details> element, open without JavaScript. On a narrow screen
   (a phone) they take the whole first screen, so they start collapsed there unless a filter is
   active or wrong (data-keep-open); the summary opens them. */
(function () {
  "use strict";
  var filters = document.querySelector("details.facet-form__filters");
  if (filters && !filters.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 40rem)").matches) {
    filters.open = false;
  }
})();
