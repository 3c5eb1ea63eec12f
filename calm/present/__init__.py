"""Presentation shared by every front end: amounts as words, the script list, the preview."""
