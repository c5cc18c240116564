"""Helpers every page uses: form errors, safe redirects back, plausible years, choice lists."""
