"""Partner Handbook: YAML playbooks → validated → Jinja → Markdown → MkDocs site."""

__version__ = "0.2.0"
