"""Every URL pattern × every role × own / someone else's shared / someone else's private object.

The patterns come from the URL conf itself, so a new URL is covered by default: a pattern with
no entry in EXPECTED fails the test until someone says who may use it. Each request runs in a
savepoint that is rolled back, so one role's data serves every request; each response is
checked for its status class (allowed: 2xx, 3xx that is not a sign-in, or a validation answer
400/409/422/428 that got past the permission check; refused: 401, 403, 404, 405 or a redirect
to sign in), and no response ever shows the text of someone else's private note.
"""
