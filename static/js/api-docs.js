// Swagger UI for /api/v1/docs: started from this static file (no inline script under our CSP). Requests made with
// "Try it out" carry the session's CSRF token, as the API's session auth requires for writes.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  var settings = {};
  try {
    settings = JSON.parse(root.dataset.settings || "{}");
  } catch (e) {
    settings = {};
  }
  var csrf = root.dataset.csrfToken;
  settings.url = root.dataset.openapiUrl;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    if (csrf) {
      request.headers["X-CSRFToken"] = csrf;
    }
    return request;
  };
  window.ui = SwaggerUIBundle(settings);
})();
