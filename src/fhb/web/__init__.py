"""The web shell: settings, URLs, base templates, static files."""
