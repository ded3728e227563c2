"""Convene's web pages foundation: templates, CSS, sessions, CSRF and charts every service shares."""
