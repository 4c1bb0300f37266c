"""Agency feeds: watched folders and object-store prefixes, their sidecars, claims and worker.

- config: feeds from a TOML file or the environment (docs/feeds.md)
- sidecar (+ newsml, ninjs, xmp_sidecar): what a sidecar says, in one shape
- sources: a local folder or an S3 prefix, seen as arrivals; arrivals: which are complete
- claims: who ingests an arrival, once, across replicas and crashes
- delivery: one arrival into the catalogue (new picture, correction, re-send, kill)
- worker: the loop that runs a feed, with retries, metrics and status
"""
