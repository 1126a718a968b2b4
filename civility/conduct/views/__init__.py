"""Pages for violation records (`records`), the catalogue and the figures (`catalogue`) and the
public report pages (`public`)."""

from civility.conduct.views.catalogue import (
    catalogue,
    catalogue_import,
    catalogue_seed,
    figures,
    type_create,
    type_edit,
    type_retire,
)
from civility.conduct.views.public import public_report, public_start, public_status
from civility.conduct.views.records import (
    evidence_file,
    my_records,
    record_ask,
    record_close,
    record_confirm,
    record_create,
    record_detail,
    record_details,
    record_dismiss,
    record_evidence,
    record_list,
    record_verify,
)

__all__ = [
    "catalogue",
    "catalogue_import",
    "catalogue_seed",
    "evidence_file",
    "figures",
    "my_records",
    "public_report",
    "public_start",
    "public_status",
    "record_ask",
    "record_close",
    "record_confirm",
    "record_create",
    "record_detail",
    "record_details",
    "record_dismiss",
    "record_evidence",
    "record_list",
    "record_verify",
    "type_create",
    "type_edit",
    "type_retire",
]
