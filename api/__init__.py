"""Kennisbank: who can help a Dutch municipality against radicalisation, and with what.

The package itself imports nothing, so a light module (``api.config`` for gunicorn.conf.py) can be
imported without the app; the WSGI application is built by :func:`api.app.create_app`.
"""
