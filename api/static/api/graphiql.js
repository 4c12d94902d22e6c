/* Starts GraphiQL (api/templates/api/graphiql.html) against this endpoint: same origin, the
   session's cookie and CSRF token, and an Authorization header where the user types one in the
   headers editor. No inline script, so the page keeps the site's Content-Security-Policy. */
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var endpoint = root.getAttribute("data-endpoint");
  var csrfToken = root.getAttribute("data-csrf-token");

  function fetcher(params, options) {
    var headers = Object.assign({
      "Accept": "application/graphql-response+json, application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken,
    }, (options && options.headers) || {});
    return fetch(endpoint, {
      method: "POST", headers: headers, body: JSON.stringify(params), credentials: "same-origin",
    }).then(function (response) { return response.json(); });
  }

  var defaultQuery = [
    "# The FIT-Store's GraphQL API (docs/api.md).",
    "# Anonymous callers read the public catalogue. For the rest,",
    "# add under Headers: {\"Authorization\": \"Bearer <token>\"}",
    "{",
    "  states { code name }",
    "}",
    "",
  ].join("\n");

  ReactDOM.render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, isHeadersEditorEnabled: true }),
    root
  );
})();
