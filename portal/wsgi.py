import gc
import itertools
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
application = get_wsgi_application()

#: Requests after which a worker holds what it keeps for its lifetime: modules, URL patterns, compiled templates,
#: translation catalogues, the connection's type adapters.
WARM_UP_REQUESTS = 100
_finished = itertools.count(1)


def _freeze_what_lasts(**_kwargs) -> None:
    """Hide the worker's long-lived objects from Python's cyclic garbage collector (gc.freeze).

    A full collection walks every object the process holds, and Django's are hundreds of thousands: it took
    30-40 ms, once every few dozen requests, and was the whole of the list pages' slowest runs (docs/performance.md).
    Freezing after each warm-up request leaves the collector the objects of the requests to come. The price: a
    cycle of garbage made during warm-up is kept for the worker's life (reference counting still frees the rest).
    """
    gc.freeze()
    if next(_finished) >= WARM_UP_REQUESTS:
        request_finished.disconnect(_freeze_what_lasts, dispatch_uid="portal.wsgi.freeze")


request_finished.connect(_freeze_what_lasts, weak=False, dispatch_uid="portal.wsgi.freeze")
