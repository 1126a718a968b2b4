"""The JSON API under /api/v1/: one NinjaAPI, each app adds its router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Civility API",
    version="1",
    description="Codes of conduct and public-service culture programme: units, places, officials.",
    urls_namespace="api",
)
