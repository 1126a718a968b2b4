"""Pages for codes, commitments, dissemination and code boards.

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404.

`versions`, `commitments`, `dissemination`, and `boards` (printable boards and the public
pages).
"""

from civility.codes.views.boards import (
    BOARD_UNIT_KINDS,
    board_counter,
    board_index,
    board_place,
    public_code,
    public_index,
)
from civility.codes.views.commitments import (
    UNSIGNED_LIMIT,
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_list,
    campaign_paper,
    commitment_sign,
    commitment_verify,
    my_commitments,
)
from civility.codes.views.dissemination import (
    activity_create,
    activity_detail,
    activity_list,
    activity_verify,
    attachment_file,
    commitment_scan,
    dissemination_summary,
)
from civility.codes.views.versions import (
    article_edit,
    code_detail,
    code_list,
    code_seed,
    version_create,
    version_detail,
    version_diff,
    version_edit,
    version_import,
    version_markdown,
    version_publish,
)

__all__ = [
    "BOARD_UNIT_KINDS",
    "UNSIGNED_LIMIT",
    "activity_create",
    "activity_detail",
    "activity_list",
    "activity_verify",
    "article_edit",
    "attachment_file",
    "board_counter",
    "board_index",
    "board_place",
    "campaign_close",
    "campaign_create",
    "campaign_detail",
    "campaign_list",
    "campaign_paper",
    "code_detail",
    "code_list",
    "code_seed",
    "commitment_scan",
    "commitment_sign",
    "commitment_verify",
    "dissemination_summary",
    "my_commitments",
    "public_code",
    "public_index",
    "version_create",
    "version_detail",
    "version_diff",
    "version_edit",
    "version_import",
    "version_markdown",
    "version_publish",
]
