from django.conf import settings
from django.utils import translation


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
