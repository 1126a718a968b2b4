import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")
django_application = get_wsgi_application()

from civility.feedback.ingest import KioskIngest  # noqa: E402  (needs Django set up)

# Kiosk ratings take a short path in front of Django (civility/feedback/ingest.py).
application = KioskIngest(django_application)
