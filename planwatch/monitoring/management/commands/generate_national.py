from django.core.management.base import BaseCommand

from planwatch.monitoring.national import clear, generate


class Command(BaseCommand):
    help = "Sinh bộ dữ liệu tổng hợp toàn quốc (34 tỉnh, 3.321 xã) để thử tải; mã bắt đầu bằng “nat-”"

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--provinces", type=int, default=None, help="chỉ sinh N tỉnh đầu (thử nhanh)")
        parser.add_argument("--seed", type=int, default=57)
        parser.add_argument("--clear", action="store_true", help="chỉ xóa dữ liệu tổng hợp")

    def handle(self, *args, **o):
        say = lambda m: self.stdout.write(m)  # noqa: E731
        if o["clear"]:
            clear(say)
            return
        generate(months=o["months"], provinces=o["provinces"], seed=o["seed"], say=say)
