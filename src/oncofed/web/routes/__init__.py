"""Route modules, one per area; each exposes `router` and is included by web.app.create_app."""
