"""Finding actors and places: name indexes and their ranking, registry search (ORM and stdlib
``sqlite3`` paths), the resolution rules for Japanese names, and point lookups.

Everything that reads the registry by name sits on this package: the importer, the analyses and the
three faces (CLI, API, web).
"""
