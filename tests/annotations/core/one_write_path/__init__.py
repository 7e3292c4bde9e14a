"""One write path: the admin, the API, imports, re-anchoring and the demo go through the services.

Each way in is driven through its real entry point (the admin's pages as staff, the API over
HTTP, the import page, a new revision stored by articles, the load_demo command), and each
change must leave what the services leave: a history entry naming who did what, and an event
in the change feed of the article, which the pages open on it poll.
"""
