"""The core: the script model, its loader, the timeline, the session runner and its clock.

It imports nothing from the layers above it (practice, sound, presentation and the front
ends) nor the user's config; import-linter holds that (``pyproject.toml``).
"""
