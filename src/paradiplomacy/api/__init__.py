"""The JSON API: the library's functions over HTTP, with an OpenAPI document (``/api/openapi.json``).

Import :func:`paradiplomacy.web.app.create_app` to serve it with the pages; this package needs the
``web`` extra (FastAPI).
"""
