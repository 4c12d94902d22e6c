"""Django's WSGI handler for schemathesis, built at the first request so that it sees the test
settings (the session fixture turns the https redirect off after modules are imported).

Like Django's test client, it keeps the request from closing the database connection at its
end: the test's transaction (and with it the test data) lives on that connection.
"""
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

_handlers = []


def application(environ, start_response):
    if not _handlers:
        _handlers.append(get_wsgi_application())
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = _handlers[0](environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
