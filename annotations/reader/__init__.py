"""The reader page's annotations: what the page shows, the panel, cards and annotating."""
