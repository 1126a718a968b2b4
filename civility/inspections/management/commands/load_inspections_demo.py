"""Demo checklists, a plan and inspections on Hanoi's demo wards: `manage.py load_inspections_demo`.

Runs after `import_admin_units --province 01`, `load_demo_data` and `load_codes`.
"""

from django.core.management.base import BaseCommand, CommandError

from civility.inspections.demo import load_inspections_demo
from civility.orgs.models import OrgUnit, UnitKind


class Command(BaseCommand):
    help = "Load the three shipped checklists and a demo inspection plan for Hanoi."

    def handle(self, *args: str, **options: object) -> None:
        if not OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code="01").exists():
            raise CommandError("Hanoi is not loaded: run import_admin_units --province 01 first.")
        if not OrgUnit.objects.filter(name="Sở Văn hóa và Thể thao").exists():
            raise CommandError("Demo units are missing: run load_demo_data first.")
        report = load_inspections_demo()
        if report["created"]:
            self.stdout.write(f"Created {report['created']} inspections (plan {report['plan']}).")
        else:
            self.stdout.write("Inspections demo already loaded; nothing to do.")
