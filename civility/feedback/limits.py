"""What the citizens' voice accepts as input: how late a rating may arrive, how many a
kiosk sends at once, the shape of a dossier code. Actions, schemas, forms, partitions and
sessions all check against these, so they live below all of them."""

from __future__ import annotations

import datetime
import re

# A rating may be sent up to this long after it was given (offline kiosks), never later.
MAX_RATING_AGE = datetime.timedelta(days=30)
CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_BATCH = 500
DOSSIER_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_/]{3,39}$")
