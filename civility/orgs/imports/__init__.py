"""Reading and checking spreadsheets of units (structure) and officials before importing them.

Nothing here writes: `plan_structure` and `plan_officials` check every row against the file
and the database and return a plan (or the list of problems); the actions
`import_structure` / `import_officials` in civility.orgs.actions carry a clean plan out in
one transaction. The template files users fill in are built here too, from the same column
definitions the reader accepts, so a downloaded template always imports.
"""

from civility.orgs.imports.columns import COLUMNS, OFFICIAL_COLUMNS, STRUCTURE_COLUMNS, Column
from civility.orgs.imports.files import (
    ALLOWED_EXTENSIONS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportResult,
    Problem,
    Table,
    cell_text,
    normalize,
    read_table,
)
from civility.orgs.imports.officials import OfficialsPlan, PlannedOfficial, plan_officials
from civility.orgs.imports.structure import PlannedUnit, StructurePlan, plan_structure
from civility.orgs.imports.templates import template_csv, template_xlsx

__all__ = [
    "ALLOWED_EXTENSIONS",
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "OFFICIAL_COLUMNS",
    "STRUCTURE_COLUMNS",
    "Column",
    "ImportFileError",
    "ImportResult",
    "OfficialsPlan",
    "PlannedOfficial",
    "PlannedUnit",
    "Problem",
    "StructurePlan",
    "Table",
    "cell_text",
    "normalize",
    "plan_officials",
    "plan_structure",
    "read_table",
    "template_csv",
    "template_xlsx",
]
