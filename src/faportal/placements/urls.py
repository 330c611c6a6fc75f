"""URLs of the provider portal's participant pages (SPEC S4)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
