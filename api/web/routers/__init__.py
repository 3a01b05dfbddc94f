"""The API's routers, one per resource; api.web.app registers each by name."""
