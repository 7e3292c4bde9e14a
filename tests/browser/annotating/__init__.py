"""Annotating in Chromium: selecting text, the toolbar, inline editing, two users."""
