"""The kernel: anchoring, painting, permissions, history recording, the change feed, and
the services every write goes through. It imports only the models below it; the capabilities
above (reader, claims, collab, interop, revisions) import it, never the other way.
"""
