"""Claims, their evidence, and labels: their pages and forms (writes: core.services)."""
