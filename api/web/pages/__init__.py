"""The HTML pages, one module per subject; api.web.app registers each by name."""
