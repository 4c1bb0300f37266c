"""The ASGI entry point for uvicorn and other servers: `api.asgi:app`."""

import gc

from api.app import create_app

app = create_app()

# The service keeps tens of thousands of decoded rights records cached; with CPython's default
# thresholds the cyclic collector walks all of them every few hundred allocations, which
# triples the latency of a batch check. Objects alive after start-up (modules, profiles, the
# lexicon) are frozen out of collection, and young collections run less often.
gc.freeze()
gc.set_threshold(50_000, 20, 20)
