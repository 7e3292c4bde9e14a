"""Finding anything: one search page over articles, annotations and claims (/search/)."""
