from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class PortalLanguageMiddleware:
    """Vietnamese unless the person chose another language on the portal.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show an official with an
    English-language browser an English portal they never asked for. Here only the choice made with the
    language switcher (the language cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PrivatePagesMiddleware:
    """Headers every page of the portal carries beyond Django's own.

    - `Permissions-Policy`: the portal uses no camera, microphone, location, payment or other device feature,
      so no page (nor a script injected into one) may ask for them.
    - `Cache-Control: no-store` on every answer to a signed-in person: pages name proposals, decisions and
      people, and must not be kept by the browser (the back button after signing out) or a shared proxy. An
      answer that sets its own (a downloaded file: "private, no-store") keeps it.
    """

    PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone",
        "midi", "payment", "usb", "browsing-topics"))

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
