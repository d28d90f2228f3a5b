// The API reference page: Redoc renders /api/v1/openapi.json (its URL is on the element; pages run no inline script).
const el = document.getElementById('redoc');
window.Redoc.init(el.dataset.specUrl, { hideHostname: true }, el);
