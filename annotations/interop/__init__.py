"""Interoperability: W3C Web Annotation mapping, the Protocol API, tokens, exports, imports,
ClaimReview, and the pages for them ("api" and "interop" URL namespaces).
"""
