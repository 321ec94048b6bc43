from django.core.management.base import BaseCommand

from planwatch.orgs.models import Organisation

from planwatch.web.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa thật của tỉnh Quảng Ngãi và tạo tài khoản minh họa (chạy lại nhiều lần vẫn an toàn)."

    def add_arguments(self, parser):
        parser.add_argument("--no-reports", action="store_true", help="không nạp báo cáo mẫu")

    def handle(self, no_reports=False, **opts):
        load_demo(with_reports=not no_reports, stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write("Tài khoản minh họa (mật khẩu chung: %s):" % DEMO_PASSWORD)
        names = dict(Organisation.objects.filter(code__in=[a.org_code for a in DEMO_ACCOUNTS]).values_list("code", "name"))
        for a in DEMO_ACCOUNTS:
            where = a.org_name or names.get(a.org_code, a.org_code)
            self.stdout.write(f"  {a.username:<18} {a.role:<11} {where}")
