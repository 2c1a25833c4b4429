"""The browser workbench: pages over the same library functions as the CLI and the JSON API.

Needs the ``web`` extra (FastAPI, uvicorn). ``paradiplomacy serve`` starts it; every script, style
and map geometry is served from ``static/`` (no CDN, no tile server).
"""
