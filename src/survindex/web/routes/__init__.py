"""Route modules: pages (with ``.json`` twins), the JSON API, sign-in and the review workflow."""
