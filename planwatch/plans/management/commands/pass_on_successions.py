"""Pass the still-open assignments of units that ended before these rules existed (successions
recorded by a loader, e.g. the 1/7/2025 reform in the demo) to their successors, from each
succession's effective date. Safe to run again: what has passed is not open any more."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from planwatch.lib.dates import parse_vn_date
from planwatch.plans.lifecycle import pass_on_recorded_successions


class Command(BaseCommand):
    help = "Chuyển các nhiệm vụ còn mở của đơn vị đã kết thúc sang đơn vị kế thừa (theo ngày hiệu lực đã ghi)."

    def add_arguments(self, parser):
        parser.add_argument("--actor", required=True, help="tên đăng nhập của người thực hiện")
        parser.add_argument("--until", help="chỉ các kế thừa có hiệu lực đến ngày này (dd/mm/yyyy)")

    def handle(self, *args, actor, until=None, **options):
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{actor}”")
        on = None
        if until:
            on = parse_vn_date(until)
            if on is None:
                raise CommandError(f"Ngày không hợp lệ “{until}” (cần dd/mm/yyyy)")
        with transaction.atomic():
            results = pass_on_recorded_successions(actor=user, on=on)
        ended = sum(len(r.ended) for r in results)
        created = sum(len(r.created) for r in results)
        self.stdout.write(f"Đã kết thúc {ended} giao nhiệm vụ của đơn vị cũ, giao {created} nhiệm vụ cho đơn vị kế thừa.")
