"""The ASGI entry point for uvicorn and other servers: `api.asgi:app`."""

from api.app import create_app

app = create_app()
